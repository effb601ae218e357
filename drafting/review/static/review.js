/* The review page: drafted facts beside their passages; accept, edit, reject, add, save.
   Plain JavaScript, no build step and nothing fetched from outside, so it works offline. */
"use strict";

const TOKEN = document.querySelector('meta[name="review-token"]').content;
const state = { data: null, docs: [], facts: [], selected: 0, undo: [], filter: "all", selection: null };
const $ = (id) => document.getElementById(id);

const SECTIONS = [
  ["boards", "Boards party to the protocol"], ["protocol", "The protocol document"], ["themes", "Themes and leads"],
  ["new_themes", "New themes"], ["challenge", "Mutual challenge"], ["meetings", "Recurring meetings"],
  ["reports", "Reporting"], ["information_sharing", "Information sharing"], ["deadlines", "Deadlines"], ["roles", "Posts and their seats"],
];
const SINGLE_COVERAGE = { "protocol.review": "review", "new_themes": "new_themes", "challenge": "challenge" };

function announce(text) { const s = $("status"); s.textContent = ""; setTimeout(() => { s.textContent = text; }, 30); }
function clone(x) { return JSON.parse(JSON.stringify(x)); }
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function getPath(path) { let o = state.data; for (const p of path) { if (o == null) return undefined; o = o[p]; } return o; }
function sourcesIn(obj, out = []) {
  if (Array.isArray(obj)) obj.forEach((x) => sourcesIn(x, out));
  else if (obj && typeof obj === "object") {
    if (typeof obj.doc === "string" && typeof obj.clause === "string") out.push(obj);
    else Object.values(obj).forEach((x) => sourcesIn(x, out));
  }
  return out;
}

function describe(section, obj) {
  switch (section) {
    case "boards": return [`${obj.name} (${obj.short_name})`, `${(obj.kind || "").replace(/_/g, " ")}` +
      (chairsOf(obj).length ? ` · chaired by ${chairsOf(obj).map((c) => c.name ? `${c.name} (${c.title})` : c.title).join("; ")}` : "")];
    case "themes": return [obj.name, obj.leads && obj.leads.length ? `Lead: ${obj.leads.map(boardName).join(" and ")}` : `No single lead: ${obj.no_lead || ""}`];
    case "meetings": return [obj.title, `${(obj.cadence || "").replace(/_/g, " ")} · ${(obj.attendees || []).join(", ")}`];
    case "reports": return [obj.report, `${obj.action} by ${obj.from_board ? boardName(obj.from_board) : obj.by} to ` +
      [...(obj.to_boards || []).map(boardName), ...(obj.to_others || [])].join(", ") + (obj.season ? ` · ${obj.season}` : "") +
      (obj.every_years > 1 ? ` · every ${obj.every_years} years` : "")];
    case "ladder": return [obj.title, obj.text];
    case "roles": return [obj.title, (obj.seats || []).map((s) => `${s.capacity.replace(/_/g, " ")}: ${boardName(s.board)}`).join("; ")];
    case "history": return [`Version ${obj.version}${obj.date ? ", " + obj.date : ""}`, obj.change];
    case "review": return [`Review: ${obj.rule.replace(/_/g, " ")}${obj.next_due ? ", next due " + obj.next_due : ""}`, obj.text];
    case "signatories": return [`Signed by ${obj.name}`, obj.title];
    default: return [obj.title || obj.name || obj.key || section, obj.text || ""];
  }
}
function chairsOf(b) { return [b.chair, ...(b.chairs || []), ...(b.co_chairs || [])].filter(Boolean); }
function boardName(key) { const b = (state.data.boards || []).find((x) => x.key === key); return b ? b.short_name : key; }

function collect() {
  const d = state.data, facts = [];
  const add = (group, section, path, obj) => facts.push({ group, section, path, obj });
  (d.boards || []).forEach((b, i) => add("boards", "boards", ["boards", i], b));
  if (d.protocol) {
    if (d.protocol.review) add("protocol", "review", ["protocol", "review"], d.protocol.review);
    (d.protocol.history || []).forEach((h, i) => add("protocol", "history", ["protocol", "history", i], h));
    (d.protocol.signatories || []).forEach((s, i) => add("protocol", "signatories", ["protocol", "signatories", i], s));
  }
  (d.themes || []).forEach((t, i) => add("themes", "themes", ["themes", i], t));
  if (d.new_themes) add("new_themes", "new_themes", ["new_themes"], d.new_themes);
  if (d.challenge) {
    for (const f of ["who_may_raise", "statement"]) if (d.challenge[f]) add("challenge", f, ["challenge", f], d.challenge[f]);
    (d.challenge.ladder || []).forEach((r, i) => add("challenge", "ladder", ["challenge", "ladder", i], r));
  }
  for (const s of ["meetings", "reports", "information_sharing", "deadlines", "roles"]) (d[s] || []).forEach((x, i) => add(s, s, [s, i], x));
  facts.forEach((f, n) => {
    f.id = `fact-${n}`;
    const srcs = sourcesIn(f.obj);
    f.source = f.obj.source || srcs[0] || null;
    f.status = srcs.length && srcs.some((s) => s.review === "pending") ? "pending" : "reviewed";
  });
  state.facts = facts;
}

function render() {
  collect();
  const box = $("facts");
  box.replaceChildren();
  let shown = 0;
  for (const [group, title] of SECTIONS) {
    const items = state.facts.filter((f) => f.group === group && (state.filter === "all" || f.status === state.filter));
    if (!items.length) continue;
    const hid = `group-${group}`;
    box.append(el("h3", { class: "group", id: hid, text: `${title} (${items.length})` }));
    const ul = el("ul", { class: "fact-list", "aria-labelledby": hid });
    for (const f of items) {
      shown++;
      const [label, summary] = describe(f.section, f.obj);
      const li = el("li", { class: "fact", id: f.id, tabindex: "-1", "data-status": f.status, "data-path": f.path.join(".") },
        el("div", { class: "label" }, label, el("span", { class: "badge", text: f.status === "pending" ? "pending review" : "accepted" })),
        summary ? el("p", { class: "summary", text: summary }) : null,
        el("p", { class: "where", text: f.source ? `From ${docName(f.source.doc)}, ${f.source.clause}` : "No source recorded" }),
        el("div", { class: "actions" },
          el("button", { type: "button", "data-action": "accept", "aria-label": `Accept ${label}`, text: "Accept", onclick: () => act("accept", f) }),
          el("button", { type: "button", "data-action": "edit", "aria-label": `Edit ${label}`, text: "Edit", onclick: () => act("edit", f) }),
          el("button", { type: "button", "data-action": "reject", "aria-label": `Reject ${label}`, text: "Reject", onclick: () => act("reject", f) }),
          el("button", { type: "button", "data-action": "show", "aria-label": `Show the passage for ${label}`, text: "Show passage", onclick: () => select(f, true) })));
      li.addEventListener("focus", () => select(f, false));
      li.addEventListener("click", (ev) => { if (ev.target.tagName !== "BUTTON") select(f, true); });
      ul.append(li);
    }
    box.append(ul);
  }
  if (!shown) box.append(el("p", { text: "No facts to show with this filter." }));
  const pending = state.facts.filter((f) => f.status === "pending").length;
  $("summary").textContent = `${state.data.area ? state.data.area.name : ""}: ${state.facts.length} facts, ${pending} pending review.`;
  renderCoverage();
  $("undo-button").disabled = !state.undo.length;
}

function renderCoverage() {
  const ul = $("coverage-list");
  ul.replaceChildren();
  const cov = state.data.coverage || {};
  const keys = Object.keys(cov).filter((k) => cov[k] === "not_transcribed");
  if (!keys.length) ul.append(el("li", { text: "Nothing: every part is marked complete." }));
  for (const k of keys) {
    ul.append(el("li", {}, k.replace(/_/g, " ") + " ",
      el("button", { type: "button", text: "Mark complete", "aria-label": `Mark ${k.replace(/_/g, " ")} complete`,
        onclick: () => { snapshot(); delete state.data.coverage[k]; render(); announce(`Marked ${k.replace(/_/g, " ")} complete.`); } })));
  }
}

function docName(key) { const d = state.docs.find((x) => x.key === key); return d ? d.name : key; }

/* ---------- the document and highlighting ---------- */
function renderDocs() {
  const box = $("documents");
  box.replaceChildren();
  for (const d of state.docs) {
    const sec = el("section", { class: "doc", id: `doc-${d.key}`, "aria-label": d.name });
    if (state.docs.length > 1) sec.append(el("h3", { text: d.name }));
    d.blocks.forEach((b, i) => {
      let node;
      if (b.kind === "table") {
        node = el("table", {});
        b.rows.forEach((row) => {
          const tr = el("tr");
          row.forEach((c) => tr.append(el("td", { "data-start": c.start, "data-end": c.end, text: d.text.slice(c.start, c.end) })));
          node.append(tr);
        });
      } else {
        const tag = b.kind === "heading" ? (b.level <= 1 ? "h3" : "h4") : "p";
        const label = b.kind === "item" ? (b.number ? `${b.number}. ` : "• ") : (b.number ? `${b.number} ` : "");
        node = el(tag, { class: b.kind === "item" ? "item" : "", "data-start": b.start, "data-end": b.end,
          text: label + d.text.slice(b.start, b.end) });
      }
      node.dataset.block = i;
      node.dataset.doc = d.key;
      sec.append(node);
    });
    box.append(sec);
  }
}

function norm(s) { return s.replace(/\s+/g, " ").replace(/…$/, "").trim(); }

function locate(source) {
  const d = state.docs.find((x) => x.key === source.doc) || state.docs[0];
  if (!d) return null;
  if (source.quote) {
    const q = norm(source.quote);
    let at = d.text.indexOf(q);
    if (at >= 0) return { doc: d, start: at, end: at + q.length };
    const head = q.slice(0, 60);
    at = d.text.indexOf(head);
    if (at >= 0) return { doc: d, start: at, end: Math.min(d.text.length, at + q.length) };
  }
  const bi = d.blocks.findIndex((b) => b.clause === source.clause || (b.row_clauses || []).includes(source.clause));
  if (bi >= 0) {
    const b = d.blocks[bi];
    const r = (b.row_clauses || []).indexOf(source.clause);
    if (r >= 0) return { doc: d, start: b.rows[r][0].start, end: b.rows[r][b.rows[r].length - 1].end };
    return { doc: d, start: b.start, end: b.end };
  }
  return null;
}

function highlight(source, scroll) {
  document.querySelectorAll("#documents mark").forEach((m) => {
    const p = m.parentNode; p.replaceChild(document.createTextNode(m.textContent), m); p.normalize();
  });
  if (!source) return;
  const span = locate(source);
  if (!span) return;
  let first = null;
  document.querySelectorAll(`#doc-${CSS.escape(span.doc.key)} [data-start]`).forEach((node) => {
    const s = +node.dataset.start, e = +node.dataset.end;
    if (e <= span.start || s >= span.end) return;
    const text = node.textContent;
    const offset = text.length - (e - s);  // the bullet drawn before an item
    const a = Math.max(span.start, s) - s + offset, b = Math.min(span.end, e) - s + offset;
    const mark = el("mark", { text: text.slice(a, b) });
    node.replaceChildren(text.slice(0, a), mark, text.slice(b));
    first = first || mark;
  });
  if (first && scroll) first.scrollIntoView({ block: "center", behavior: "smooth" });
}

function select(f, focus) {
  state.selected = state.facts.indexOf(f);
  document.querySelectorAll(".fact.selected").forEach((x) => x.classList.remove("selected"));
  const li = $(f.id);
  if (li) { li.classList.add("selected"); if (focus && document.activeElement !== li) li.focus(); }
  highlight(f.source, true);
}

/* ---------- actions ---------- */
function snapshot() { state.undo.push(clone(state.data)); if (state.undo.length > 50) state.undo.shift(); }
function markReviewed(obj) { sourcesIn(obj).forEach((s) => { s.review = "reviewed"; }); }

function act(what, f) {
  const [label] = describe(f.section, f.obj);
  if (what === "accept") {
    snapshot(); markReviewed(f.obj); render(); refocus(f.path); announce(`Accepted: ${label}.`);
  } else if (what === "reject") {
    snapshot(); remove(f.path); render(); refocus(f.path, true);
    announce(`Rejected and removed: ${label}. Press u to undo.`);
  } else if (what === "edit") {
    openEdit(f);
  }
}

function remove(path) {
  const parent = getPath(path.slice(0, -1)), last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(last, 1); else delete parent[last];
  const cov = SINGLE_COVERAGE[path.join(".")];
  if (cov) { state.data.coverage = state.data.coverage || {}; state.data.coverage[cov] = "not_transcribed"; }
}

function refocus(path, removed) {
  const key = path.join(".");
  let idx = state.facts.findIndex((f) => f.path.join(".") === key);
  if (idx < 0 || removed) idx = Math.min(state.selected, state.facts.length - 1);
  const f = state.facts[idx];
  if (f && $(f.id)) select(f, true); else $("facts-heading").focus();
}

function visibleFacts() { return state.facts.filter((f) => $(f.id)); }
function move(step) {
  const vis = visibleFacts();
  if (!vis.length) return;
  const cur = vis.indexOf(state.facts[state.selected]);
  const next = vis[Math.max(0, Math.min(vis.length - 1, cur < 0 ? 0 : cur + step))];
  select(next, true);
}

/* ---------- editing ---------- */
let editing = null;
function openEdit(f) {
  editing = f;
  const box = $("edit-fields");
  box.replaceChildren();
  $("edit-where").textContent = f.source ? `From ${docName(f.source.doc)}, ${f.source.clause}: “${f.source.quote || ""}”` : "";
  $("edit-error").textContent = "";
  let n = 0;
  for (const [k, v] of Object.entries(f.obj)) {
    const id = `edit-field-${n++}`;
    if (k === "source") {
      box.append(el("label", { for: id, text: "Clause it comes from" }), el("input", { type: "text", id, "data-field": "source.clause", value: v.clause || "" }));
      continue;
    }
    if (typeof v === "string" || typeof v === "number") {
      const long = String(v).length > 70;
      const input = long ? el("textarea", { id, rows: "3", "data-field": k, "data-type": typeof v }) : el("input", { type: "text", id, "data-field": k, "data-type": typeof v });
      input.value = String(v);
      box.append(el("label", { for: id, text: k.replace(/_/g, " ") }), input);
    } else if (typeof v === "boolean") {
      const input = el("input", { type: "checkbox", id, "data-field": k, "data-type": "boolean" });
      input.checked = v;
      box.append(el("label", { for: id }, input, " " + k.replace(/_/g, " ")));
    } else if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) {
      const input = el("textarea", { id, rows: String(Math.max(2, v.length + 1)), "data-field": k, "data-type": "lines" });
      input.value = v.join("\n");
      box.append(el("label", { for: id, text: `${k.replace(/_/g, " ")} (one per line)` }), input);
    } else {
      const input = el("textarea", { id, rows: "6", spellcheck: "false", "data-field": k, "data-type": "json" });
      input.value = JSON.stringify(v, null, 2);
      box.append(el("label", { for: id, text: `${k.replace(/_/g, " ")} (JSON)` }), input);
    }
  }
  $("edit-dialog").showModal();
  const first = box.querySelector("input, textarea");
  if (first) first.focus();
}

function saveEdit(ev) {
  ev.preventDefault();
  const f = editing, obj = clone(f.obj);
  try {
    $("edit-fields").querySelectorAll("[data-field]").forEach((input) => {
      const k = input.dataset.field;
      if (k === "source.clause") { obj.source.clause = input.value.trim(); return; }
      const t = input.dataset.type;
      if (t === "boolean") obj[k] = input.checked;
      else if (t === "number") obj[k] = Number(input.value);
      else if (t === "lines") obj[k] = input.value.split("\n").map((x) => x.trim()).filter(Boolean);
      else if (t === "json") {
        try { obj[k] = JSON.parse(input.value); } catch (e) { throw new Error(`“${k}” is not valid JSON: ${e.message}`); }
      } else obj[k] = input.value.trim();
    });
  } catch (e) { $("edit-error").textContent = e.message; return; }
  snapshot();
  markReviewed(obj);
  const parent = getPath(f.path.slice(0, -1));
  parent[f.path[f.path.length - 1]] = obj;
  $("edit-dialog").close();
  render(); refocus(f.path);
  announce(`Edited and accepted: ${describe(f.section, obj)[0]}.`);
}

/* ---------- adding ---------- */
const TEMPLATES = {
  "a theme and its lead": ["themes", { key: "", name: "", leads: [], lead_role: "" }],
  "a board party to the protocol": ["boards", { key: "", short_name: "", name: "", kind: "other" }],
  "a step of the challenge route": ["challenge.ladder", { key: "", kind: "written_request", title: "", text: "" }],
  "a recurring meeting": ["meetings", { key: "", title: "", cadence: "annual", attendees: [], boards: [] }],
  "a report": ["reports", { key: "", report: "", from_board: "", to_boards: [], action: "present" }],
  "an information-sharing rule": ["information_sharing", { key: "", text: "", items: ["information"], from_boards: [], to: [] }],
  "a post and its seats": ["roles", { key: "", title: "", seats: [] }],
  "a version of the protocol": ["protocol.history", { version: "", date: "", change: "" }],
};

function openAdd() {
  const sel = $("add-kind");
  if (!sel.options.length) Object.keys(TEMPLATES).forEach((k) => sel.append(el("option", { value: k, text: k })));
  state.selection = currentSelection() || state.selection;
  fillTemplate();
  $("add-error").textContent = "";
  $("add-dialog").showModal();
  sel.focus();
}

function currentSelection() {
  const s = window.getSelection();
  if (!s || s.isCollapsed) return null;
  const node = (s.anchorNode.nodeType === 1 ? s.anchorNode : s.anchorNode.parentElement).closest("[data-block]");
  if (!node) return null;
  const d = state.docs.find((x) => x.key === node.dataset.doc);
  const b = d.blocks[+node.dataset.block];
  return { doc: d.key, clause: b.clause, quote: norm(s.toString()).slice(0, 400) };
}

function fillTemplate() {
  const [, tpl] = TEMPLATES[$("add-kind").value];
  const obj = clone(tpl);
  const sel = state.selection;
  obj.source = { doc: sel ? sel.doc : (state.docs[0] || {}).key, clause: sel ? sel.clause : "", quote: sel ? sel.quote : "" };
  if ($("add-kind").value.startsWith("a post")) delete obj.source;
  $("add-json").value = JSON.stringify(obj, null, 2);
}

function saveAdd(ev) {
  ev.preventDefault();
  let obj;
  try { obj = JSON.parse($("add-json").value); } catch (e) { $("add-error").textContent = `Not valid JSON: ${e.message}`; return; }
  const [where] = TEMPLATES[$("add-kind").value];
  snapshot();
  markReviewed(obj);
  if (obj.source && !obj.source.quote) delete obj.source.quote;
  const path = where.split(".");
  let parent = state.data;
  for (const p of path.slice(0, -1)) { parent[p] = parent[p] || (p === "challenge" ? { named: true, ladder: [] } : {}); parent = parent[p]; }
  const last = path[path.length - 1];
  parent[last] = parent[last] || [];
  parent[last].push(obj);
  $("add-dialog").close();
  state.selection = null;
  render();
  refocus([...path, parent[last].length - 1]);
  announce(`Added ${$("add-kind").value}. Save to check it.`);
}

/* ---------- saving ---------- */
async function save() {
  announce("Saving and validating…");
  let resp, body;
  try {
    resp = await fetch("/api/save", { method: "POST", headers: { "Content-Type": "application/json", "X-Review-Token": TOKEN },
      body: JSON.stringify({ data: state.data }) });
    body = (resp.headers.get("Content-Type") || "").includes("json") ? await resp.json() : { message: await resp.text() };
  } catch (e) {
    announce(`Could not reach boardbot (${e.message}). Is \`boardbot protocol review\` still running? Your changes are still on this page.`);
    return;
  }
  const list = $("problem-list");
  list.replaceChildren();
  if (resp.ok && body.saved) {
    $("problems").hidden = true;
    $("next").hidden = false;
    $("next-commands").textContent = `${body.validate}\n${body.import}`;
    const pending = state.facts.filter((f) => f.status === "pending").length;
    announce(`Saved ${state.file}. ${pending} fact${pending === 1 ? "" : "s"} still pending review.` +
      (body.not_transcribed.length ? ` Not yet transcribed: ${body.not_transcribed.join(", ")}.` : ""));
    return;
  }
  $("next").hidden = true;
  if (body.problems) {
    for (const p of body.problems) {
      const m = /^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)?)/.exec(p.field || "");
      const path = m ? m[1].replace(/\[(\d+)\]/g, ".$1").split(".").map((x) => (/^\d+$/.test(x) ? +x : x)) : null;
      const fact = path && state.facts.find((f) => path.join(".").startsWith(f.path.join(".")) && f.path.length >= Math.min(2, path.length));
      const li = el("li", {}, `${p.field ? p.field + ": " : ""}${p.message}`);
      if (fact) li.append(" ", el("button", { type: "button", text: "Go to the fact", onclick: () => select(fact, true) }));
      list.append(li);
    }
    $("problems").hidden = false;
    $("problems-heading").focus();
    announce(`Not saved: ${body.problems.length} problem${body.problems.length === 1 ? "" : "s"} to fix (listed below the page). The file was left as it was.`);
  } else {
    announce(`Not saved: ${body.message || resp.statusText}`);
  }
}

/* ---------- keyboard ---------- */
function onKey(ev) {
  if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "s") { ev.preventDefault(); save(); return; }
  const t = ev.target;
  if (document.querySelector("dialog[open]") || t.closest("input, textarea, select") || ev.altKey || ev.ctrlKey || ev.metaKey) return;
  const f = state.facts[state.selected];
  const keys = { j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
    a: () => f && act("accept", f), e: () => f && act("edit", f), r: () => f && act("reject", f), u: undo, n: openAdd, s: save,
    "?": () => $("help-dialog").showModal() };
  if (keys[ev.key] && !(t.tagName === "BUTTON" && (ev.key === "Enter" || ev.key === " "))) { ev.preventDefault(); keys[ev.key](); }
}

function undo() {
  if (!state.undo.length) { announce("Nothing to undo."); return; }
  state.data = state.undo.pop();
  render(); refocus(state.facts[state.selected] ? state.facts[state.selected].path : []);
  announce("Undone.");
}

async function load() {
  const resp = await fetch("/api/state");
  const body = await resp.json();
  state.data = body.data; state.docs = body.documents; state.file = body.file;
  renderDocs(); render();
  if (state.facts.length) select(state.facts[0], false);
  announce(`Loaded ${body.file}: ${state.facts.length} facts, ${state.facts.filter((f) => f.status === "pending").length} pending review.` +
    (body.problems.length ? ` The file has ${body.problems.length} problems; save to see them.` : ""));
}

document.addEventListener("DOMContentLoaded", () => {
  $("save-button").addEventListener("click", save);
  $("add-button").addEventListener("mousedown", () => { state.selection = currentSelection(); });
  $("add-button").addEventListener("click", openAdd);
  $("undo-button").addEventListener("click", undo);
  $("help-button").addEventListener("click", () => $("help-dialog").showModal());
  $("filter").addEventListener("change", (ev) => { state.filter = ev.target.value; render(); });
  $("edit-form").addEventListener("submit", saveEdit);
  $("edit-cancel").addEventListener("click", () => $("edit-dialog").close());
  $("add-form").addEventListener("submit", saveAdd);
  $("add-cancel").addEventListener("click", () => $("add-dialog").close());
  $("add-kind").addEventListener("change", fillTemplate);
  document.addEventListener("keydown", onKey);
  load().catch((e) => announce(`Could not load the draft: ${e.message}`));
});
