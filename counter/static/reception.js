// The reception desk: issue tickets for visitors, hand them on, see all queues.
import {
  api, config, connect, counterLabel, elapsed, errorText, getOverview, languageName,
  markReceived, queueInfo, refresher, t, texts, tick, toast, waitCell,
} from "./staff.js";
import { h, numberNode, put } from "/static/dom.js";
import { openTransfer } from "./transfer.js";
import { loadLanguages, renderUnmet } from "./languages.js";

const form = document.getElementById("issue-form");
const concern = document.getElementById("issue-concern");
const queue = document.getElementById("issue-queue");
const filter = document.getElementById("waiting-filter");
let overview = null;
let issued = null;

const refresh = refresher(async () => Promise.all([getOverview(), loadLanguages()]),
  ([data, languages]) => {
    overview = data;
    markReceived();
    render();
    renderUnmet(document.getElementById("unmet"), languages.unmet);
  });

function render() {
  if (!overview) return;
  const extra = elapsed();
  const moved = issued && overview.waiting.find((x) => x.id === issued.id);
  if (moved) {
    issued.queue = moved.queue;
    document.getElementById("issued-queue").textContent = queueInfo(moved.queue).name;
  }
  const shown = overview.waiting.filter((x) => !filter.value || x.queue === filter.value);
  put(document.getElementById("waiting-list"), ...(shown.length === 0
    ? [h("tr", {}, h("td", { colspan: 6, class: "empty" }, t("no_waiting")))]
    : shown.map((x) => h("tr", { dataset: { ticket: x.number } },
      h("td", {}, numberNode(x.number)),
      h("td", {}, queueInfo(x.queue).name,
        x.reserved_counter ? h("span", { class: "muted" }, ` (${t("reserved_for",
          { counter: counterLabel(x.reserved_counter) })})`) : null),
      h("td", {}, languageName(x.language), x.needs_language ? [" ", h("span",
        { class: "chip interpreter" }, t("needs", { language: languageName(x.needs_language) }))]
        : null),
      h("td", { class: "num" }, waitCell(x.queue_seconds + extra, queueInfo(x.queue).target_minutes)),
      h("td", {},
        x.appointment ? h("span", { class: "chip due" }, t("appointment")) : null,
        x.priority ? h("span", { class: "chip priority" }, x.priority_reason ?? t("priority")) : null),
      h("td", {}, h("button", { type: "button", class: "small",
        onclick: () => openTransfer(x, { onDone: refresh }) }, t("hand_on")), " ",
      h("button", { type: "button", class: "small", onclick: () => openInterpreter(x) },
        t("interpreter")))))));
  put(document.getElementById("all-queues"), ...overview.queues.map((q) => h("tr",
    { dataset: { queue: q.id } },
    h("td", {}, queueInfo(q.id).name),
    h("td", {}, texts.kinds[q.kind] ?? q.kind),
    h("td", { class: "num waiting-count" }, q.waiting),
    h("td", { class: "num" }, q.waiting ? waitCell(q.oldest_wait_seconds + extra, q.target.minutes) : "–"),
    h("td", { class: "num" }, t("minutes", { minutes: q.target.minutes })),
    h("td", {}, q.closed ? h("span", { class: "chip closed" }, t("closed")) : t("open")))));
}

// Interpreter need: only a clerk who speaks the language calls the visitor.
const interpreterDialog = document.getElementById("interpreter-dialog");
let marking = null;

function openInterpreter(ticket) {
  marking = ticket;
  document.getElementById("interpreter-number").textContent = ticket.number;
  interpreterDialog.querySelector("input").value = ticket.needs_language ?? "";
  interpreterDialog.showModal();
}

interpreterDialog.querySelector("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = interpreterDialog.querySelector("input").value.trim().toLowerCase();
  try {
    const body = await api("POST", `/tickets/${marking.id}/interpreter`, { language: code || null });
    toast(body.needs_language
      ? t("interpreter_marked", { number: body.number,
        language: texts.languages[body.needs_language] ?? body.language_names.name })
      : t("interpreter_cleared", { number: body.number }), "ok");
    interpreterDialog.close();
  } catch (error) {
    toast(errorText(error), "error");
  }
  refresh();
});
interpreterDialog.querySelector("[data-close]").addEventListener("click", () => interpreterDialog.close());

// A concern or a queue, not both: choosing one clears the other.
concern.addEventListener("change", () => { if (concern.value) queue.value = ""; });
queue.addEventListener("change", () => { if (queue.value) concern.value = ""; });
filter.addEventListener("change", render);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { site: config.site.id, language: form.language.value };
  if (concern.value) body.concern = concern.value;
  else if (queue.value) body.queue = queue.value;
  if (form.priority_reason.value) body.priority_reason = form.priority_reason.value;
  try {
    issued = await api("POST", "/tickets/reception", body);
  } catch (error) {
    toast(errorText(error), "error");
    return;
  }
  toast(t("issued", { number: issued.number }), "ok");
  document.getElementById("issued").hidden = false;
  document.getElementById("issued-number").textContent = issued.number;
  document.getElementById("issued-queue").textContent = queueInfo(issued.queue).name;
  document.getElementById("issued-image").href =
    `/api/v1/tickets/${encodeURIComponent(issued.token)}/image.png`;
  form.reset();
  refresh();
});

document.getElementById("issued-transfer").addEventListener("click", () => {
  if (issued) openTransfer(issued, { onDone: refresh });
});

connect({ refresh, ticket: () => refresh(), queues: () => refresh(), queueState: () => refresh() });
tick(render, 30000); // minutes only; rebuilding rows more often would eat clicks
refresh();
