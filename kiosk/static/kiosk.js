// The visitor kiosk: language → concern → ticket (or check-in with an invitation code).

import { Unreachable, getJSON, newKey, postJSON } from "./api.js";
import { kioskReader, stepPhrases } from "./listen.js";
import { codeFrom, listenForScans } from "./scanner.js";
import { h } from "/static/dom.js";
import { listenForTaps } from "./touch.js";

const config = JSON.parse(document.getElementById("kiosk-config").textContent);
const packs = JSON.parse(document.getElementById("kiosk-texts").textContent);
const root = document.getElementById("kiosk");
const $ = (selector) => root.querySelector(selector);

const BUSY_DELAY_MS = 250;
const PRINT_POLL_MS = 700;
const PRINT_WAIT_MS = 20000;
// Step 1 speaks every language; the frame around it is in the site's default language.
const PAGE_LANGUAGE = config.page_language;

const state = {
  step: "language",
  language: null, // null until the visitor chose one
  busy: false,
  code: "",
  generation: 0, // bumped on every reset, so late answers of an earlier visitor are dropped
  idleTimer: null,
  busyTimer: null,
  ticketSeconds: config.ticket_seconds,
};

const pack = () => packs[state.language || PAGE_LANGUAGE] || packs[config.languages[0]];
const words = () => pack().words;

function plural(key, count) {
  const forms = pack().plurals[key];
  let category = "other";
  try {
    category = new Intl.PluralRules(pack().lang).select(count);
  } catch {
    category = "other";
  }
  return forms[category] || forms.other || Object.values(forms)[0];
}

// Fill element with template, the placeholder replaced by an isolated left-to-right value.
function fill(element, template, placeholder, value, tag = "strong") {
  const [before, ...rest] = template.split(placeholder);
  const part = h(tag, { dir: "ltr" }, value);
  element.replaceChildren(before, ...(rest.length ? [part, rest.join(placeholder)] : []));
}

// ---------------------------------------------------------------- language and screens

function applyLanguage(language) {
  state.language = language;
  const current = pack();
  document.documentElement.lang = current.lang;
  document.documentElement.dir = current.dir;
  for (const element of root.querySelectorAll("[data-t]")) {
    element.textContent = current.words[element.dataset.t] || "";
  }
  for (const element of root.querySelectorAll("[data-concern-label]")) {
    element.textContent = current.concerns[element.dataset.concernLabel] || "";
  }
}

function show(step) {
  state.step = step;
  root.dataset.step = step;
  for (const section of root.querySelectorAll("section.step")) {
    section.hidden = section.dataset.step !== step;
  }
  reader.stop();
  taps.stepShown();
  armIdle();
}

function armIdle() {
  clearTimeout(state.idleTimer);
  if (state.step === "language" && document.getElementById("notice").hidden) return;
  const seconds = state.step === "ticket" ? state.ticketSeconds : config.idle_seconds;
  state.idleTimer = setTimeout(() => {
    if (reader.playing) armIdle(); // someone is listening: the step is in use
    else if (!state.busy) reset();
  }, seconds * 1000);
}

function reset() {
  state.generation += 1;
  state.code = "";
  state.ticketSeconds = config.ticket_seconds;
  hideNotice();
  state.language = null;
  applyLanguage(null);
  document.documentElement.lang = PAGE_LANGUAGE;
  document.documentElement.dir = packs[PAGE_LANGUAGE]?.dir || "ltr";
  show("language");
}

function setBusy(busy) {
  state.busy = busy;
  root.classList.toggle("is-busy", busy);
  clearTimeout(state.busyTimer);
  if (busy) {
    state.busyTimer = setTimeout(() => {
      document.getElementById("busy").hidden = false;
    }, BUSY_DELAY_MS);
  } else {
    document.getElementById("busy").hidden = true;
    armIdle();
  }
}

function notice(key) {
  document.getElementById("notice-text").textContent = words()[key] || words().failed;
  document.getElementById("notice").hidden = false;
  document.getElementById("notice").dataset.reason = key;
  reader.stop();
  taps.stepShown();
  armIdle();
}

function hideNotice() {
  document.getElementById("notice").hidden = true;
}

// ---------------------------------------------------------------- tickets

async function issueTicket(concern) {
  const generation = state.generation;
  setBusy(true);
  try {
    const data = { site: config.site, concern, language: state.language, kiosk: config.kiosk };
    const { status, body } = await postJSON("/api/v1/tickets", data, newKey());
    if (generation !== state.generation) return;
    if (status === 201) {
      showTicket(body, false);
    } else {
      const code = body?.error?.code;
      notice(["queue_closed", "capacity_exhausted"].includes(code) ? code : "failed");
    }
  } catch (error) {
    if (generation !== state.generation) return;
    notice(error instanceof Unreachable ? "unreachable" : "failed");
  } finally {
    setBusy(false);
  }
}

function showTicket(ticket, checkedIn) {
  document.getElementById("ticket-number").textContent = ticket.number;
  document.getElementById("ticket-checked-in").hidden = !checkedIn;
  // The check-in line already says to wait for the number on the screen.
  document.getElementById("ticket-next").hidden = checkedIn;
  const ahead = document.getElementById("ticket-ahead");
  const wait = document.getElementById("ticket-wait");
  const waiting = ticket.status === "waiting" && Number.isInteger(ticket.position);
  ahead.hidden = wait.hidden = !waiting;
  if (waiting) {
    const before = ticket.position - 1;
    if (before === 0) ahead.textContent = words().nobody_ahead;
    else fill(ahead, plural("ahead", before), "%(num)d", String(before));
    const minutes = ticket.estimated_wait_minutes;
    wait.hidden = before === 0 || minutes == null;
    if (minutes != null && minutes < 1) wait.textContent = words().wait_short;
    else if (minutes != null) fill(wait, plural("wait", minutes), "%(num)d", String(minutes));
  }
  const qr = document.getElementById("ticket-qr");
  qr.hidden = false;
  qr.onerror = () => {
    qr.hidden = true; // no broken-image icon if the network dropped just now
  };
  qr.src = `/kiosk/qr.svg?data=${encodeURIComponent(ticket.status_url)}`;
  show("ticket");
  followPrinting(ticket.token);
}

function setPrintStatus(key, warn = false) {
  const element = document.getElementById("print-status");
  element.textContent = words()[key];
  element.classList.toggle("warn", warn);
  root.dataset.print = key;
}

function keepLonger() {
  state.ticketSeconds = config.unprinted_ticket_seconds;
  armIdle();
}

async function followPrinting(token) {
  const generation = state.generation;
  if (!config.printer) {
    setPrintStatus("no_printer");
    keepLonger();
    return;
  }
  setPrintStatus("printing");
  const url = `/kiosk/${encodeURIComponent(config.kiosk)}/print-status/${encodeURIComponent(token)}`;
  const deadline = performance.now() + PRINT_WAIT_MS;
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, PRINT_POLL_MS));
    if (generation !== state.generation || state.step !== "ticket") return;
    const answer = await getJSON(url);
    if (generation !== state.generation || state.step !== "ticket") return;
    if (answer?.status === "printed") {
      setPrintStatus("printed");
      return;
    }
    if (answer?.status === "failed") {
      setPrintStatus("print_failed", true);
      keepLonger();
      return;
    }
  }
  setPrintStatus("print_unknown", true);
  keepLonger();
}

// ---------------------------------------------------------------- check-in

function renderCode() {
  const slots = root.querySelectorAll(".code-slot");
  slots.forEach((slot, index) => {
    slot.textContent = state.code[index] || "";
    slot.classList.toggle("filled", index < state.code.length);
  });
}

function checkinMessage(key, time = null) {
  const element = document.getElementById("checkin-message");
  element.dataset.reason = key || "";
  element.replaceChildren();
  if (!key) return;
  // Scanned before a language was chosen: say it in every language of the site.
  const languages = state.language ? [state.language] : config.languages;
  for (const language of languages) {
    const line = h("span", { lang: language, dir: packs[language].dir });
    const template = packs[language].words[key];
    if (time) fill(line, template, "%(time)s", time, "bdi");
    else line.textContent = template;
    element.append(line);
  }
}

function openCheckin() {
  state.code = "";
  renderCode();
  checkinMessage(null);
  show("checkin");
}

function clockTime(iso) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return null;
  // Western digits and a 24-hour clock in every language, like the ticket and the screens.
  return new Intl.DateTimeFormat("de-DE", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: config.timezone,
  }).format(moment);
}

const CHECKIN_ANSWERS = {
  unknown_code: "code_unknown",
  not_found: "code_unknown",
  invalid: "code_unknown",
  already_checked_in: "already_checked_in",
  appointment_cancelled: "appointment_cancelled",
  checkin_too_late: "too_late",
  invitation_expired: "expired",
};

async function submitCheckin() {
  if (state.code.length !== config.code_length) {
    checkinMessage("code_incomplete");
    return;
  }
  const generation = state.generation;
  setBusy(true);
  try {
    const data = { site: config.site, code: state.code, kiosk: config.kiosk };
    if (state.language) data.language = state.language;
    const { status, body } = await postJSON("/api/v1/checkin", data, newKey());
    if (generation !== state.generation) return;
    if (status === 201) {
      if (!state.language && packs[body.language]) applyLanguage(body.language);
      showTicket(body, true);
      return;
    }
    const error = body?.error || {};
    if (error.code === "checkin_too_early") {
      const time = error.come_back_at ? clockTime(error.come_back_at) : null;
      checkinMessage(time ? "too_early_at" : "too_early", time);
    } else {
      checkinMessage(CHECKIN_ANSWERS[error.code] || "failed");
    }
  } catch (error) {
    if (generation !== state.generation) return;
    checkinMessage(error instanceof Unreachable ? "unreachable" : "failed");
  } finally {
    setBusy(false);
  }
}

function scanned(texts) {
  if (state.busy) return;
  const code = texts.map((t) => codeFrom(t, config.code_alphabet, config.code_length)).find(Boolean);
  if (state.step !== "checkin") {
    hideNotice();
    openCheckin();
  }
  if (!code) {
    checkinMessage("code_unknown");
    return;
  }
  state.code = code;
  renderCode();
  submitCheckin();
}

// ---------------------------------------------------------------- read aloud

const reader = kioskReader(root, config.kiosk, document.getElementById("listen"));

function toggleListening() {
  if (reader.playing) reader.stop();
  else reader.play(stepPhrases(root, state.step, state.language, config.languages));
  armIdle();
}

// ---------------------------------------------------------------- wiring

const taps = listenForTaps(root, press);

function press(button) {
  if (button.disabled || state.busy) return;
  const { action } = button.dataset;
  if (action === "listen") {
    toggleListening();
    return;
  }
  reader.stop();
  if (button.dataset.lang) {
    applyLanguage(button.dataset.lang);
    show("concern");
  } else if (button.dataset.concern) {
    if ("checkin" in button.dataset) openCheckin();
    else issueTicket(button.dataset.concern);
  } else if (button.dataset.key) {
    if (state.code.length < config.code_length) state.code += button.dataset.key;
    checkinMessage(null);
    renderCode();
  } else if (action === "delete") {
    state.code = state.code.slice(0, -1);
    checkinMessage(null);
    renderCode();
  } else if (action === "checkin") {
    submitCheckin();
  } else if (action === "back") {
    show(state.language ? "concern" : "language");
  } else if (action === "languages" || action === "done") {
    reset();
  } else if (action === "notice-ok") {
    hideNotice();
    show(state.language ? "concern" : "language");
  }
}

function start() {
  // A public touch screen: no context menu, no dragging, no selecting, no leaving the page.
  for (const type of ["contextmenu", "dragstart", "selectstart"]) {
    document.addEventListener(type, (event) => event.preventDefault());
  }
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(type, () => {
      if (!state.busy) armIdle();
    }, true);
  }
  listenForScans(scanned);
  if (config.start_language) {
    applyLanguage(config.start_language);
    show("concern");
  } else {
    reset();
  }
  root.dataset.ready = "true";
}

start();
