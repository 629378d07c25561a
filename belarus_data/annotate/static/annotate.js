// belarus-data annotate: the page's only script (no framework, nothing loaded from elsewhere).
// Offsets: the dataset counts code points; JavaScript strings count UTF-16 units, so every offset
// taken from the page is converted by counting code points (Array.from) of the text before it.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
let STATE = null;
let editing = null; // the ID of the claim being edited, or null for a new one
let timer = null;

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

async function api(path, payload) {
  const options = { headers: { "X-Annotate-Token": TOKEN } };
  if (payload !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(payload);
  }
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

// ------------------------------------------------------------------ the text
function renderText() {
  const box = $("#source-text");
  box.replaceChildren();
  const chars = Array.from(STATE.text); // one entry per code point
  const cuts = new Set([0, chars.length, ...STATE.sentences]);
  const claims = STATE.claims.filter((c) => c.start !== null && c.end !== null);
  for (const c of claims) { cuts.add(Number(c.start)); cuts.add(Number(c.end)); }
  const points = Array.from(cuts).filter((n) => n >= 0 && n <= chars.length).sort((a, b) => a - b);
  const sentenceStarts = new Set(STATE.sentences);
  let sentence = -1;
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i], to = points[i + 1];
    if (sentenceStarts.has(from)) sentence++;
    const span = el("span", { "data-start": String(from) });
    span.textContent = chars.slice(from, to).join("");
    span.classList.add(sentence % 2 ? "s1" : "s0");
    if (sentenceStarts.has(from)) span.classList.add("sstart");
    const covering = claims.filter((c) => Number(c.start) <= from && to <= Number(c.end));
    if (covering.length) {
      span.classList.add(covering.some((c) => c.record_status === "active") ? "claim" : "withdrawn");
      span.dataset.claims = covering.map((c) => c.id).join(" ");
      span.title = covering.map((c) => `${c.id} (${c.claim_type}): ${c.statement}`).join("\n");
    }
    box.append(span);
  }
}

function codePointOffset(node, offset) {
  const range = document.createRange();
  range.setStart($("#source-text"), 0);
  range.setEnd(node, offset);
  return Array.from(range.toString()).length;
}

function onSelect() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return;
  const range = selection.getRangeAt(0);
  const box = $("#source-text");
  if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
  const form = $("#claim-form");
  form.elements.start.value = String(codePointOffset(range.startContainer, range.startOffset));
  form.elements.end.value = String(codePointOffset(range.endContainer, range.endOffset));
  scheduleCheck(0);
}

// ------------------------------------------------------------------ choices
function fillChoices() {
  for (const select of $$("select[data-vocab]")) {
    const vocabulary = STATE.choices[select.dataset.vocab] || {};
    select.replaceChildren(el("option", { value: "" }, "—"));
    for (const [code, meaning] of Object.entries(vocabulary)) {
      select.append(el("option", { value: code, title: meaning }, `${code} — ${meaning}`));
    }
  }
  const list = $("#actor-names");
  list.replaceChildren();
  for (const a of STATE.actors) list.append(el("option", { value: a.label }, `${a.name} (${a.id}, ${a.kind})`));
  const choice = $("#event-choice");
  choice.replaceChildren(el("option", { value: "" }, "— no event —"), el("option", { value: "new" }, "+ new event…"));
  for (const e of STATE.events.filter((e) => e.record_status === "active")) {
    choice.append(el("option", { value: e.id }, `${e.id} ${e.event_type} ${e.date_edtf || ""}: ${e.description}`));
  }
}

function addParticipant(actor = "", role = "") {
  const row = el("div", { class: "participant" });
  const input = el("input", { name: "actor_id", list: "actor-names", placeholder: "actor (any name)" });
  input.value = actor;
  const select = el("select", { name: "role", "data-vocab": "role" });
  select.append(el("option", { value: "" }, "—"));
  for (const [code, meaning] of Object.entries(STATE.choices.role)) {
    select.append(el("option", { value: code, title: meaning }, `${code} — ${meaning}`));
  }
  select.value = role;
  row.append(input, select);
  $("#participants").append(row);
}

// ------------------------------------------------------------------ forms
function values(form) {
  const out = {};
  for (const field of form.elements) {
    if (field.name && !field.closest(".participant")) out[field.name] = field.value;
  }
  return out;
}

function payload() {
  if (STATE.mode === "source") return { fields: values($("#source-form")) };
  const fields = values($("#claim-form"));
  const choice = fields.event_id;
  delete fields.event_id;
  const event = { choice };
  if (choice === "new") {
    event.fields = values($("#event-form"));
    event.participants = $$("#participants .participant").map((row) => ({
      actor_id: $("input", row).value, role: $("select", row).value,
    }));
  }
  return { edit_id: editing, fields, event };
}

function fieldFor(name) {
  if (STATE.mode === "source") return $("#source-form").elements[name];
  if (name.startsWith("event.")) return $("#event-form").elements[name.slice(6)];
  const part = name.match(/^participant\.(\d+)\.(.*)$/);
  if (part) {
    const row = $$("#participants .participant")[Number(part[1])];
    return row ? $(`[name="${part[2]}"]`, row) : null;
  }
  return $("#claim-form").elements[name];
}

function show(answer) {
  const box = $("#problems");
  box.replaceChildren();
  for (const f of $$("[aria-invalid]")) f.removeAttribute("aria-invalid");
  for (const p of answer.problems) {
    const item = el("p", { class: "problem", "data-field": p.field, "data-code": p.code }, p.text);
    box.append(item);
    const field = p.field ? fieldFor(p.field) : null;
    if (field) field.setAttribute("aria-invalid", "true");
  }
  const q = answer.quote || {};
  if (q.quote !== undefined && STATE.mode === "claim") {
    const form = $("#claim-form");
    for (const k of ["quote", "start", "end", "prefix", "suffix"]) form.elements[k].value = q[k] === undefined ? "" : q[k];
  }
  for (const [name, value] of Object.entries(answer.resolved || {})) {
    const field = fieldFor(name);
    if (field && field.value !== value) field.value = value;
    const note = $(`.resolved[data-for="${name}"]`);
    if (note) note.textContent = `→ ${value}`;
  }
  if (STATE.mode === "source") {
    const dl = $("#source-derived");
    dl.replaceChildren();
    for (const [k, v] of Object.entries(answer.resolved || {})) dl.append(el("dt", {}, k), el("dd", {}, v));
  }
  for (const button of $$(".suggestion")) {
    const suggestion = (answer.suggestions || {})[button.dataset.for];
    const field = fieldFor(button.dataset.for);
    button.hidden = !suggestion || (field && field.value === suggestion);
    if (suggestion && field && !field.value) field.value = suggestion; // an empty date takes the suggestion
    if (suggestion) button.textContent = `use ${suggestion}`;
    button.onclick = () => { field.value = suggestion; scheduleCheck(0); };
  }
}

async function check() {
  try {
    show(await api("api/check", payload()));
  } catch (err) {
    $("#problems").replaceChildren(el("p", { class: "problem" }, String(err)));
  }
}

function scheduleCheck(delay = 300) {
  clearTimeout(timer);
  timer = setTimeout(check, delay);
}

async function save() {
  $("#status").textContent = "saving…";
  const answer = await api("api/save", payload());
  show(answer);
  if (answer.saved.length) {
    $("#status").textContent = `saved ${answer.saved.join(", ")}`;
    await load();
    if (STATE.mode === "claim") startNew(false);
  } else {
    $("#status").textContent = "not saved: see the problems above";
  }
}

function startNew(clearStatus = true) {
  editing = null;
  $("#claim-form").reset();
  $("#event-form").reset();
  $("#participants").replaceChildren();
  $("#event-form").hidden = true;
  $("#lifecycle").hidden = true;
  $("#claim-heading").textContent = "New claim";
  $("#problems").replaceChildren();
  if (clearStatus) $("#status").textContent = "";
}

function edit(id) {
  const claim = STATE.claims.find((c) => c.id === id);
  if (!claim) return;
  startNew();
  editing = id;
  const form = $("#claim-form");
  for (const field of form.elements) {
    if (field.name && claim[field.name] !== undefined) field.value = claim[field.name] === null ? "" : claim[field.name];
  }
  form.elements.start.value = "";
  form.elements.end.value = "";
  form.elements.event_id.value = claim.event_id || "";
  $("#lifecycle").hidden = false;
  $("#claim-heading").textContent = `Edit ${id} (version ${claim.version})`;
}

function renderClaims() {
  const list = $("#claim-list");
  list.replaceChildren();
  for (const c of STATE.claims) {
    const item = el("li", { "data-claim": c.id });
    const button = el("button", { type: "button", class: "edit", "data-testid": `edit-${c.id}` }, "edit");
    button.onclick = () => edit(c.id);
    item.append(button, ` ${c.id} v${c.version} [${c.record_status}] ${c.claim_type}/${c.modality}: ${c.statement}`);
    list.append(item);
  }
}

async function load() {
  STATE = await api("api/state");
  $("#title").textContent = STATE.mode === "source" ? "New source" : STATE.source.title;
  $("#subtitle").textContent = STATE.mode === "source" ? STATE.text_file : `${STATE.source_id} · published ${STATE.source.published || "?"}`;
  $("#source-form").hidden = STATE.mode !== "source";
  $("#claim-form").hidden = STATE.mode !== "claim";
  renderText();
  fillChoices();
  renderClaims();
}

document.addEventListener("DOMContentLoaded", async () => {
  await load();
  $("#source-text").addEventListener("mouseup", onSelect);
  $("#source-text").addEventListener("keyup", onSelect);
  $("#source-text").addEventListener("click", (event) => {
    const span = event.target.closest("[data-claims]");
    if (span && window.getSelection().isCollapsed) edit(span.dataset.claims.split(" ")[0]);
  });
  for (const form of $$("form")) {
    form.addEventListener("input", () => scheduleCheck());
    form.addEventListener("change", () => scheduleCheck(0));
    form.addEventListener("submit", (event) => event.preventDefault());
  }
  $("#event-choice").addEventListener("change", () => {
    $("#event-form").hidden = $("#event-choice").value !== "new";
    if (!$("#event-form").hidden && !$("#participants").children.length) addParticipant();
  });
  $("#add-participant").addEventListener("click", () => addParticipant());
  $("#save-claim").addEventListener("click", save);
  $("#save-source").addEventListener("click", save);
  $("#new-claim").addEventListener("click", () => startNew());
  $("#withdraw").addEventListener("click", () => {
    const form = $("#claim-form");
    form.elements.record_status.value = "retracted";
    form.elements.status_reason.focus();
    $("#status").textContent = "Give the reason in status_reason, then save.";
    scheduleCheck(0);
  });
  document.body.dataset.ready = "1";
});
