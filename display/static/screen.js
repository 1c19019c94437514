// The waiting-room screen: latest calls, recent calls, people waiting per zone, the time.
// Texts show in the main language and one rotating other language at once. The DOM is
// rebuilt from a bounded list on every change, so a screen left on for weeks stays flat.

import { Announcer } from "./announcer.js";
import { connectLive } from "./live.js";
import { h, numberNode } from "/static/dom.js";

const model = JSON.parse(document.getElementById("display-model").textContent);
const FRESH_MS = 8000; // how long a new call blinks
const RESYNC_MS = 60000; // belt and braces: re-read the snapshot now and then

const calls = []; // newest first, at most model.recent_calls
let waiting = {};
let alternate = 0;
let connected = false;
let snapshotSeen = false;
const freshUntil = new Map(); // number -> time until which it blinks

const announcer = new Announcer({
  gongUrl: model.urls.gong,
  speechUrl: model.urls.speech,
  volume: model.volume,
  speech: model.speech,
  primary: model.primary,
  languages: [model.primary, ...model.alternates],
});

function currentAlternate() {
  const list = model.alternates;
  return list.length ? list[alternate % list.length] : null;
}

// Main language line plus a rotating line with its own lang and dir.
function pair(primaryText, altAttributes) {
  return h("span", { class: "pair" },
    h("span", { class: "primary", lang: model.primary, dir: model.directions[model.primary] },
      primaryText),
    h("span", { class: "alt", ...altAttributes }));
}

function counterLabels(call) {
  return model.counters[call.counter?.id] || {};
}

function counterPair(call) {
  const labels = counterLabels(call);
  const element = pair(labels[model.primary] || call.counter?.label || "",
    { "data-alt-counter": call.counter?.id || "" });
  fillAlternate(element.querySelector(".alt"));
  return element;
}

function blink(element, call) {
  const until = freshUntil.get(call.number);
  const left = until ? until - Date.now() : 0;
  if (left > 0) {
    element.classList.add("fresh");
    // Continue the running blink instead of restarting it when the list is redrawn.
    element.style.animationDelay = `${left - FRESH_MS}ms`;
  }
}

function recallMark(call) {
  if (!call.recall) return "";
  const mark = h("span", { class: "recall-mark" }, "↻ ", pair(model.texts[model.primary].recall,
    { "data-alt-text": "recall" }));
  fillAlternate(mark.querySelector(".alt"));
  return mark;
}

function currentCard(call) {
  if (!call) {
    const empty = h("div", { class: "call-card empty" },
      pair(model.texts[model.primary].no_calls, { "data-alt-text": "no_calls" }));
    fillAlternate(empty.querySelector(".alt"));
    return empty;
  }
  const card = h("div", { class: `call-card${call.recall ? " recall" : ""}` },
    numberNode(call.number),
    h("span", { class: "counter" }, counterPair(call)),
    recallMark(call));
  card.dataset.number = call.number;
  blink(card, call);
  return card;
}

function recentRow(call) {
  const row = h("li", { class: `recent-row${call.recall ? " recall" : ""}` },
    numberNode(call.number),
    h("span", { class: "counter" }, counterPair(call)));
  row.dataset.number = call.number;
  blink(row, call);
  return row;
}

function renderCalls() {
  const now = Date.now();
  for (const [key, until] of freshUntil) if (until <= now) freshUntil.delete(key);
  document.getElementById("current").replaceChildren(currentCard(calls[0]));
  document.getElementById("recent").replaceChildren(...calls.slice(1).map(recentRow));
}

function personIcon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-5 0-9 2.5-9 6v2h18v-2c0-3.5-4-6-9-6z");
  svg.append(path);
  return svg;
}

function renderWaiting() {
  const chips = model.zones.map((zone) => {
    const count = Number(waiting[zone.id]) || 0;
    const name = zone.labels
      ? h("span", { class: "zone-name" },
        pair(zone.labels[model.primary], { "data-alt-zone": zone.id }))
      : "";
    const chip = h("li", { class: "zone", "data-zone": zone.id },
      h("span", { class: "zone-prefix" }, ...zone.prefixes.map((p) => numberNode(p))),
      name,
      h("span", { class: "zone-count" }, personIcon(), numberNode(String(count))));
    for (const alt of chip.querySelectorAll(".alt")) fillAlternate(alt);
    return chip;
  });
  document.getElementById("zones").replaceChildren(...chips);
}

function fillAlternate(element) {
  const lang = currentAlternate();
  if (!lang) {
    element.textContent = "";
    element.hidden = true;
    return;
  }
  let text = "";
  if (element.dataset.altText) text = model.texts[lang][element.dataset.altText];
  else if ("altCounter" in element.dataset) {
    text = (model.counters[element.dataset.altCounter] || {})[lang] || "";
  } else if (element.dataset.altZone) {
    const zone = model.zones.find((z) => z.id === element.dataset.altZone);
    text = zone?.labels?.[lang] || "";
  }
  element.hidden = false;
  element.lang = lang;
  element.dir = model.directions[lang];
  element.textContent = text;
}

function rotate() {
  alternate += 1;
  for (const element of document.querySelectorAll(".alt")) fillAlternate(element);
}

function setupStaticTexts() {
  for (const holder of document.querySelectorAll("[data-text]")) {
    const key = holder.dataset.text;
    const element = pair(model.texts[model.primary][key], { "data-alt-text": key });
    holder.replaceChildren(element);
    fillAlternate(element.querySelector(".alt"));
  }
}

function remember(call) {
  const index = calls.findIndex((c) => c.number === call.number);
  if (index >= 0) calls.splice(index, 1);
  calls.unshift(call);
  calls.length = Math.min(calls.length, model.recent_calls);
}

function onState(state) {
  const known = new Set(calls.map((c) => `${c.number}|${c.called_at}`));
  const missed = snapshotSeen
    ? state.calls.filter((c) => !known.has(`${c.number}|${c.called_at}`)) : [];
  calls.length = 0;
  for (const call of state.calls.slice(0, model.recent_calls)) calls.push(call);
  waiting = state.waiting || {};
  // Calls made while the screen was offline: let them blink and sound one gong.
  for (const call of missed) freshUntil.set(call.number, Date.now() + FRESH_MS);
  if (missed.length) announcer.chime();
  snapshotSeen = true;
  renderCalls();
  renderWaiting();
}

function onCalled(call) {
  remember(call);
  freshUntil.set(call.number, Date.now() + FRESH_MS);
  renderCalls();
  announcer.announce(call);
}

function onWaiting(counts) {
  waiting = counts;
  renderWaiting();
}

let offlineTimer = null;
function setOnline(online) {
  connected = online;
  clearTimeout(offlineTimer);
  const mark = () => {
    document.getElementById("offline").hidden = connected;
    document.body.classList.toggle("is-offline", !connected);
  };
  // A blip while reconnecting should not flash a warning on the wall.
  if (online) mark();
  else offlineTimer = setTimeout(mark, 1500);
}

const clockTime = new Intl.DateTimeFormat("de-DE", {
  hour: "2-digit", minute: "2-digit", timeZone: model.timezone, numberingSystem: "latn",
});
const clockDate = new Intl.DateTimeFormat("de-DE", {
  weekday: "short", day: "2-digit", month: "2-digit", timeZone: model.timezone,
  numberingSystem: "latn",
});

function tick() {
  const now = new Date();
  const time = clockTime.format(now);
  const element = document.getElementById("clock-time");
  if (element.textContent !== time) {
    element.textContent = time;
    document.getElementById("clock-date").textContent = clockDate.format(now);
  }
}

async function resync() {
  if (!connected) return; // the reconnect brings a snapshot anyway
  try {
    const response = await fetch(model.urls.state, { cache: "no-store" });
    if (response.ok) onState(await response.json());
  } catch {
    // offline: the socket's reconnect will resync
  }
}

function setupSound() {
  const button = document.getElementById("sound");
  const key = "anlaufstelle.sound";
  const update = () => {
    button.hidden = !announcer.blocked;
  };
  const enable = async () => {
    if (await announcer.unlock()) localStorage.setItem(key, "on");
    update();
  };
  button.addEventListener("click", enable);
  if (announcer.context) announcer.context.onstatechange = update;
  if (localStorage.getItem(key) === "on") {
    // Sound was switched on here before: any touch or key on the screen unlocks it again.
    announcer.unlock().then(update);
    document.addEventListener("pointerdown", enable, { once: true });
    document.addEventListener("keydown", enable, { once: true });
  }
  update();
}

document.getElementById("recent").style.setProperty("--rows", Math.max(1, model.recent_calls - 1));
setupStaticTexts();
onState(model.state);
tick();
setInterval(tick, 1000);
if (model.alternates.length) setInterval(rotate, model.rotate_seconds * 1000);
setInterval(resync, RESYNC_MS);
setupSound();
setOnline(false);

const socket = connectLive("/display", { display: model.display }, {
  events: { state: onState, called: onCalled, waiting: onWaiting },
  onOnline: () => setOnline(true),
  onOffline: () => setOnline(false),
});

// For staff diagnostics and the browser tests: no private data lives here.
window.anlaufstelleDisplay = {
  onState, onCalled, onWaiting, rotate, announcer, socket,
  get calls() { return calls.slice(); },
};
