// The counter workplace: call, recall, start, finish, no-show, hand on, park, resume, cancel.
import {
  api, clock, concernLabel, config, connect, counterInfo, counterLabel, elapsed, errorText,
  getOverview, languageName, markReceived, minutes, queueInfo, refresher, t,
  texts, tick, tNodes, toast, waitCell,
} from "./staff.js";
import { h, numberNode, put } from "/static/dom.js";
import { openTransfer, transferOpen } from "./transfer.js";

const STORE = "anlaufstelle.counter";
const counterSelect = document.getElementById("counter-select");
const queueSelect = document.getElementById("queue-select");
const buttons = [...document.querySelectorAll("[data-action]")];
const cancelDialog = document.getElementById("cancel-dialog");
const presenceBox = document.getElementById("presence");
const presenceButtons = [...presenceBox.querySelectorAll("[data-presence]")];

const state = {
  counter: null, overview: null, tickets: [], calls: [], busy: false, presence: "closed",
};

const counterId = () => state.counter;
const myQueues = () => counterInfo(state.counter)?.queues ?? [];
const current = () => state.tickets.find((x) => x.status === "called" || x.status === "serving");
const parked = () => state.tickets.filter((x) => x.status === "parked");

// ---------------------------------------------------------------- loading
const refresh = refresher(async () => {
  const id = counterId();
  const [overview, tickets, presence] = await Promise.all([
    getOverview(),
    id ? api("GET", `/counters/${encodeURIComponent(id)}/current`) : Promise.resolve([]),
    api("GET", `/sites/${encodeURIComponent(config.site.id)}/presence`),
  ]);
  return { overview, tickets, id, presence };
}, ({ overview, tickets, id, presence }) => {
  if (id !== counterId()) return;
  state.overview = overview;
  state.tickets = tickets;
  state.presence = presence.find((p) => p.counter === id)?.state ?? "closed";
  markReceived();
  if (state.calls.length === 0) seedCalls(overview);
  render();
});

function seedCalls(overview) {
  state.calls = overview.counters
    .filter((c) => c.current && c.current.called_at)
    .map((c) => ({ number: c.current.number, counter: c.id, at: c.current.called_at, recall: false }))
    .sort((a, b) => (a.at < b.at ? 1 : -1))
    .slice(0, 8);
}

// ---------------------------------------------------------------- rendering
function render() {
  renderQueueSelect();
  renderQueues();
  renderAppointments();
  renderCurrent();
  renderParked();
  renderCalls();
  renderPresence();
  renderButtons();
}

function renderPresence() {
  presenceBox.dataset.state = state.presence;
  presenceBox.hidden = !state.counter;
  document.getElementById("presence-state").textContent = texts.presence[state.presence];
  for (const button of presenceButtons) {
    button.setAttribute("aria-pressed", String(button.dataset.presence === state.presence));
    button.disabled = !state.counter || button.dataset.presence === state.presence;
  }
}

function renderLanguage(ticket) {
  // The language to serve in, named in German and in itself (interpreter need first).
  const names = ticket.language_names ?? { name: languageName(ticket.language), native: "" };
  document.getElementById("current-language-name").textContent = names.name;
  const native = document.getElementById("current-language-native");
  native.textContent = names.native && names.native !== names.name ? names.native : "";
  native.lang = names.code ?? ticket.language;
  native.dir = "auto";
  document.getElementById("current-interpreter").hidden = !ticket.needs_language;
}

function renderQueueSelect() {
  const keep = queueSelect.value;
  const options = [h("option", { value: "" }, t("any_queue")),
    ...myQueues().map((id) => h("option", { value: id }, queueInfo(id).name))];
  put(queueSelect, ...options);
  queueSelect.value = myQueues().includes(keep) ? keep : "";
}

function renderQueues() {
  const rows = (state.overview?.queues ?? []).filter((q) => myQueues().includes(q.id));
  const extra = elapsed();
  put(document.getElementById("my-queues"), ...rows.map((q) => h("tr",
    { dataset: { queue: q.id } },
    h("td", {}, queueInfo(q.id).name, q.closed ? h("span", { class: "chip closed" }, t("closed")) : null),
    h("td", { class: "num waiting-count" }, q.waiting),
    h("td", { class: "num" }, q.waiting
      ? waitCell(q.oldest_wait_seconds + extra, q.target.minutes) : "–"))));
}

function appointmentItems(waiting, queueIds) {
  const list = waiting.filter((x) => x.appointment && queueIds.includes(x.queue));
  if (list.length === 0) return [h("li", { class: "empty" }, t("no_appointments"))];
  return list.map((x) => h("li", { class: x.appointment_due ? "due" : "" },
    numberNode(x.number), " ",
    h("span", {}, t("appointment_at", { time: clock(x.appointment_start) })), " · ",
    h("span", { class: "muted" }, queueInfo(x.queue).name),
    x.appointment_due ? h("span", { class: "chip due" }, t("due")) : null));
}

function renderAppointments() {
  put(document.getElementById("appointments"), 
    ...appointmentItems(state.overview?.waiting ?? [], myQueues()));
}

function renderCurrent() {
  const ticket = current();
  const box = document.getElementById("current");
  document.getElementById("current-empty").hidden = Boolean(ticket);
  document.getElementById("current-empty").textContent =
    state.counter ? t("no_current") : t("choose_counter");
  document.getElementById("current-ticket").hidden = !ticket;
  box.dataset.ticket = ticket ? ticket.number : "";
  box.dataset.status = ticket ? ticket.status : "";
  if (!ticket) return;
  document.getElementById("current-number").textContent = ticket.number;
  const status = document.getElementById("current-status");
  status.textContent = texts.statuses[ticket.status] ?? ticket.status;
  status.className = `chip status-${ticket.status}`;
  put(document.getElementById("current-badges"), 
    ticket.appointment ? h("span", { class: "chip due" }, t("appointment")) : null,
    ticket.priority ? h("span", { class: "chip priority" },
      `${t("priority")}: ${ticket.priority_reason ?? ""}`) : null,
    ticket.recalls ? h("span", { class: "chip" }, `↻ ${ticket.recalls}`) : null);
  document.getElementById("current-concern").textContent = concernLabel(ticket.concern);
  document.getElementById("current-language").textContent =
    t("speaks", { language: languageName(ticket.language) });
  renderLanguage(ticket);
  const waited = ticket.called_at
    ? (Date.parse(ticket.called_at) - Date.parse(ticket.issued_at)) / 1000 : ticket.waiting_seconds;
  const atCounter = ticket.called_at
    ? (ticket.waiting_seconds + elapsed()) - waited : 0;
  document.getElementById("current-wait").textContent =
    `${t("waited", { minutes: minutes(waited) })} · ${t("called_at", { time: clock(ticket.called_at) })}`
    + ` · ${t("at_counter_since", { minutes: minutes(atCounter) })}`;
  document.getElementById("current-queue").textContent = queueInfo(ticket.queue).name;
  const note = document.getElementById("current-note");
  note.hidden = !ticket.note;
  note.textContent = ticket.note ? `${t("note")}: ${ticket.note}` : "";
  const earlier = ticket.stops.slice(0, -1);
  put(document.getElementById("current-stops"), ...(earlier.length === 0
    ? [h("li", { class: "empty" }, t("no_stops"))]
    : earlier.map((stop) => h("li", {},
      h("span", { class: "stop-time" }, clock(stop.queued_at)), " ",
      h("strong", {}, queueInfo(stop.queue).name),
      stop.counter ? ` · ${counterLabel(stop.counter)}` : "",
      stop.outcome ? ` · ${texts.outcomes[stop.outcome] ?? stop.outcome}` : "",
      stop.note ? h("div", { class: "stop-note" }, `${t("note")}: ${stop.note}`) : null))));
}

function renderParked() {
  const list = parked();
  put(document.getElementById("parked-list"), ...(list.length === 0
    ? [h("li", { class: "empty" }, t("none"))]
    : list.map((x, index) => h("li", { dataset: { ticket: x.number } },
      numberNode(x.number), " ",
      h("span", { class: "muted" }, queueInfo(x.queue).name), " ",
      h("button", { type: "button", onclick: () => act("resume", x) },
        index === 0 ? [h("kbd", {}, "U"), " "] : null, t("resume"))))));
}

function renderCalls() {
  put(document.getElementById("calls"), ...(state.calls.length === 0
    ? [h("li", { class: "empty" }, t("no_calls"))]
    : state.calls.map((call) => h("li", { class: call.counter === state.counter ? "mine" : "" },
      h("span", { class: "stop-time" }, clock(call.at)), " ",
      ...tNodes(call.recall ? "recalled_by" : "called_by",
        { counter: counterLabel(call.counter), number: numberNode(call.number) })))));
}

function renderButtons() {
  const ticket = current();
  for (const button of buttons) {
    const action = button.dataset.action;
    let enabled;
    if (!state.counter || state.busy) enabled = false;
    else if (action === "next") enabled = state.presence !== "break";
    else if (action === "resume") enabled = parked().length > 0;
    else enabled = Boolean(ticket && ticket.actions.includes(action));
    button.disabled = !enabled;
  }
}

// ---------------------------------------------------------------- actions
async function run(work) {
  if (state.busy) return;
  state.busy = true;
  renderButtons();
  try {
    await work();
  } catch (error) {
    // 409 and friends: someone else was faster; show it and read the truth again.
    toast(errorText(error), "error");
  } finally {
    state.busy = false;
    renderButtons();
    refresh();
  }
}

function callNext() {
  return run(async () => {
    const body = queueSelect.value ? { queue: queueSelect.value } : {};
    const ticket = await api("POST", `/counters/${encodeURIComponent(state.counter)}/next`, body);
    if (ticket === null) {
      toast(t("nobody_waiting"));
      state.tickets = state.tickets.filter((x) => x.status === "parked");
    } else {
      toast(t("called", { number: ticket.number }), "ok");
      state.tickets = [ticket, ...state.tickets.filter((x) => x.status === "parked")];
    }
    render();
  });
}

function act(action, ticket) {
  if (!ticket) return Promise.resolve();
  return run(async () => {
    const updated = await api("POST", `/tickets/${ticket.id}/${action}`);
    toast(t("done_action", { number: updated.number,
      status: texts.statuses[updated.status] ?? updated.status }), "ok");
  });
}

function onAction(action) {
  if (!state.counter) { toast(t("choose_counter"), "error"); return; }
  const ticket = current();
  if (action === "next") callNext();
  else if (action === "resume") act("resume", parked()[0]);
  else if (action === "transfer" && ticket) {
    openTransfer(ticket, { onDone: () => refresh() });
  } else if (action === "cancel" && ticket) {
    document.getElementById("cancel-number").textContent = ticket.number;
    cancelDialog.dataset.ticket = ticket.id;
    cancelDialog.showModal();
    document.getElementById("cancel-confirm").focus();
  } else act(action, ticket);
}

for (const button of buttons) {
  button.addEventListener("click", () => { if (!button.disabled) onAction(button.dataset.action); });
}

cancelDialog.querySelector("form").addEventListener("submit", (event) => {
  event.preventDefault();
  const ticket = state.tickets.find((x) => String(x.id) === cancelDialog.dataset.ticket);
  cancelDialog.close();
  act("cancel", ticket);
});
cancelDialog.querySelectorAll("[data-close]").forEach((button) =>
  button.addEventListener("click", () => cancelDialog.close()));

// Shortcuts work anywhere except while typing or while a dialog is open.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
  if (transferOpen() || cancelDialog.open) return;
  if (event.key.toLowerCase() === "b" && state.counter) {
    event.preventDefault();
    setPresence(state.presence === "break" ? "open" : "break");
    return;
  }
  const button = buttons.find((b) => b.dataset.key === event.key.toLowerCase());
  if (!button) return;
  event.preventDefault();
  if (!button.disabled) onAction(button.dataset.action);
});

// ---------------------------------------------------------------- presence
async function setPresence(wanted, id = state.counter) {
  if (!id) return;
  try {
    const body = await api("POST", `/counters/${encodeURIComponent(id)}/presence`, { state: wanted });
    if (id === state.counter) state.presence = body.state;
    renderPresence();
    renderButtons();
  } catch (error) {
    toast(errorText(error), "error");
  }
}

for (const button of presenceButtons) {
  button.addEventListener("click", () => setPresence(button.dataset.presence));
}

// ---------------------------------------------------------------- counter choice
function chooseCounter(id) {
  const previous = state.counter;
  state.counter = counterInfo(id) ? id : null;
  // Working at a counter opens it; leaving it for another closes the one left behind.
  if (previous && previous !== state.counter) setPresence("closed", previous);
  if (state.counter && state.counter !== previous) setPresence("open", state.counter);
  state.tickets = [];
  if (state.counter) localStorage.setItem(STORE, state.counter);
  else localStorage.removeItem(STORE);
  counterSelect.value = state.counter ?? "";
  const queueKey = `${STORE}.${state.counter}.queue`;
  render();
  queueSelect.value = localStorage.getItem(queueKey) ?? "";
  refresh();
}

counterSelect.addEventListener("change", () => {
  chooseCounter(counterSelect.value);
  counterSelect.blur(); // give the keyboard back to the shortcuts
});
queueSelect.addEventListener("change", () => {
  localStorage.setItem(`${STORE}.${state.counter}.queue`, queueSelect.value);
  queueSelect.blur();
});

// ---------------------------------------------------------------- live
connect({
  refresh,
  ticket(event) {
    const ticket = event.ticket;
    if (["called", "recalled", "resumed"].includes(event.kind) && ticket.counter) {
      state.calls = [{ number: ticket.number, counter: ticket.counter.id, at: ticket.called_at,
        recall: event.kind === "recalled" }, ...state.calls.filter((c) => c.number !== ticket.number)]
        .slice(0, 8);
      renderCalls();
    }
    refresh();
  },
  queues: () => refresh(),
  queueState: () => refresh(),
  languages: () => refresh(),
});

tick(() => { if (state.overview) { renderQueues(); renderCurrent(); } });
chooseCounter(new URLSearchParams(location.search).get("counter") ?? localStorage.getItem(STORE));
