"""``belarus-data annotate``: a local web page for curating one source.

The page (``static/``) shows the source text with its sentences and claims; selecting words fills a
claim form. The domain work lives in :mod:`.session` (drafts, the live check through ``validate``,
saving through the code of ``new``), the web layer in :mod:`.app` and its guards in :mod:`.security`.
Starlette and uvicorn come with the optional extra ``belarus-data[annotate]`` and are imported only
when the command runs. May import :mod:`belarus_data.commands` (to save as ``new`` does) and every
layer below; only :mod:`belarus_data.cli` imports it.
"""
