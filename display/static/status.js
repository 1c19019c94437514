// The visitor's phone page: number, place in line, estimated wait, and the call with the
// counter. Live over Socket.IO; when others in the queue move, the ticket is re-read.

import { connectLive } from "./live.js";

const model = JSON.parse(document.getElementById("status-model").textContent);
const AT_COUNTER = new Set(["called", "serving"]);

let ticket = model.ticket;
let joinedQueue = null; // the queue room the server put this socket in
let transferred = false;
let refreshTimer = null;

const field = (name) => document.querySelectorAll(`[data-field="${name}"]`);

function counterLabel(t) {
  if (!t.counter) return "";
  return model.counters[t.counter.id] || t.counter.label;
}

function waitText(minutes) {
  if (minutes === null || minutes === undefined || minutes <= 1) return model.texts.soon;
  return model.texts.about.replace("{minutes}", String(minutes));
}

function render(t, previous) {
  for (const section of document.querySelectorAll("[data-status]")) {
    section.hidden = section.dataset.status !== t.status;
  }
  document.body.className = `phone status-${t.status}`;
  document.getElementById("number").textContent = t.number;
  for (const element of field("position")) element.textContent = t.position ?? "";
  for (const element of field("wait")) element.textContent = waitText(t.estimated_wait_minutes);
  for (const element of field("counter")) element.textContent = counterLabel(t);
  for (const element of field("recall")) element.hidden = !t.recalls;
  if (previous) {
    // Sent on to another office: same number, a new wait. Say so until it is called again.
    if (t.status === "waiting" && t.queue !== previous.queue) transferred = true;
    if (t.status !== "waiting") transferred = false;
    const newCall = t.status === "called"
      && (previous.status !== "called" || t.recalls > previous.recalls);
    if (newCall) {
      navigator.vibrate?.([600, 200, 600, 200, 600]);
      document.querySelector('[data-status="called"]').scrollIntoView?.({ block: "center" });
    }
  }
  document.getElementById("transfer-note").hidden = !transferred;
  document.getElementById("updated").textContent = new Intl.DateTimeFormat("de-DE", {
    hour: "2-digit", minute: "2-digit", second: "2-digit", numberingSystem: "latn",
  }).format(new Date());
}

function onTicket(t, fromSocket = false) {
  const previous = ticket;
  ticket = t;
  render(t, previous);
  if (!fromSocket && joinedQueue === null) return;
  if (joinedQueue === null) {
    joinedQueue = t.queue; // the first `ticket` after connecting: the server joined us there
  } else if (t.queue !== joinedQueue && !socket.disconnected) {
    // After a transfer the server must put this socket into the new queue's room.
    joinedQueue = null;
    socket.disconnect().connect();
  }
}

async function refresh() {
  try {
    const response = await fetch(model.urls.ticket, { cache: "no-store" });
    if (response.ok) onTicket(await response.json());
  } catch {
    // offline: the reconnect brings the ticket anyway
  }
}

// Everyone in a queue hears `queue_changed` at once: spread the re-reads a little.
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 150 + Math.random() * 600);
}

let offlineTimer = null;
function setOnline(online) {
  clearTimeout(offlineTimer);
  const offline = document.getElementById("offline");
  if (online) offline.hidden = true;
  else offlineTimer = setTimeout(() => { offline.hidden = false; }, 2000);
}

render(ticket, null);
const socket = connectLive("/ticket", { token: model.token }, {
  events: { ticket: (t) => onTicket(t, true), queue_changed: scheduleRefresh },
  onOnline: () => setOnline(true),
  onOffline: () => {
    joinedQueue = null;
    setOnline(false);
  },
});
// When the phone wakes up from sleep, the socket may be stale for a moment: re-read now.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") refresh();
});
window.anlaufstelleStatus = { onTicket, get ticket() { return ticket; }, socket };
