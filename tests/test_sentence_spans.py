"""sentence_spans: the sentence list the guide prints and the annotation page shows, by the checks' rule."""

from __future__ import annotations

import itertools
from pathlib import Path

from belarus_data.checks.curation import sentence_spans, spans_sentences

TEXT = Path(__file__).resolve().parents[1] / "records" / "texts" / "minsk-compensate-defence-cooperation.txt"


def test_every_span_is_one_sentence_and_none_is_lost() -> None:
    text = TEXT.read_text(encoding="utf-8")
    spans = sentence_spans(text)
    assert len(spans) > 20
    for start, end in spans:
        sentence = text[start:end]
        assert sentence == sentence.strip() and sentence
        assert not spans_sentences(sentence), sentence
    # Only white space lies between the spans: no words fall out of the list.
    gaps = [text[end:start] for (_, end), (start, _) in itertools.pairwise(spans)]
    assert all(not gap.strip() for gap in gaps)
    assert not text[: spans[0][0]].strip() and not text[spans[-1][1] :].strip()


def test_edges() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n ") == []
    assert sentence_spans("No end") == [(0, 6)]
    # A closing quote after the full stop stays with its sentence; "Su-34s" is not a boundary.
    assert sentence_spans("He said “go.” Then Su-34s flew.") == [(0, 13), (14, 31)]
    # Code points, not UTF-16 units: a non-BMP character counts once.
    assert sentence_spans("𝐀 done. Next") == [(0, 7), (8, 12)]
