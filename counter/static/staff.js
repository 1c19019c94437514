// Shared by the staff pages: page config, API calls with CSRF, the /staff socket,
// printer alerts, messages, time formatting.

import { h, numberNode, put } from "/static/dom.js";

export const config = JSON.parse(document.getElementById("page-config").textContent);
export const texts = config.texts;
const site = config.site;

export function t(key, values = {}) {
  let text = texts.messages[key] ?? key;
  for (const [name, value] of Object.entries(values)) {
    text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

// Like t(), but values may be DOM nodes (a ticket number): returns a list of nodes.
export function tNodes(key, values = {}) {
  const text = texts.messages[key] ?? key;
  return text.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const name = part.match(/^\{(\w+)\}$/)?.[1];
    if (name === undefined || !(name in values)) return part;
    const value = values[name];
    return value instanceof Node ? value : String(value);
  });
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

function toLogin() {
  const next = location.pathname + location.search;
  location.assign(`${config.login_url}?next=${encodeURIComponent(next)}`);
}

export async function api(method, path, body) {
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-CSRF-Token": config.csrf,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, "unauthorized", "");
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.error?.code ?? "error", data?.error?.message ?? "");
  }
  return data;
}

export function errorText(error) {
  if (!(error instanceof ApiError)) return t("error");
  if (["queue_closed", "capacity_exhausted", "counter_on_break"].includes(error.code)) {
    return t(error.code);
  }
  if (error.status === 409) return t("conflict");
  if (error.status === 404) return t("not_found");
  if (error.status === 422) return t("invalid", { message: error.message });
  if (error.status === 403) return error.code === "csrf" ? t("csrf") : t("forbidden");
  if (error.status === 0) return t("network");
  return t("error");
}

let toastTimer = 0;
export function toast(message, kind = "info") {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 10000 : 5000);
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Calls `load` now and whenever asked again; never two at once, never a stale answer.
export function refresher(load, render) {
  let running = false;
  let again = false;
  async function run() {
    if (running) { again = true; return; }
    running = true;
    try {
      do {
        again = false;
        const data = await load();
        if (!again) render(data);
      } while (again);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      toast(errorText(error), "error");
    } finally {
      running = false;
    }
  }
  return debounce(run, 60);
}

export const minutes = (seconds) => Math.max(0, Math.floor(seconds / 60));

// Green below half the target, amber below the target, red beyond it.
export function waitLevel(seconds, targetMinutes) {
  const ratio = seconds / (targetMinutes * 60);
  if (ratio < 0.5) return "ok";
  if (ratio < 1) return "warn";
  return "bad";
}

const clockFormat = new Intl.DateTimeFormat(config.lang === "en" ? "en-GB" : "de-DE", {
  hour: "2-digit", minute: "2-digit", timeZone: site.timezone, numberingSystem: "latn",
});
export const clock = (iso) => (iso ? clockFormat.format(new Date(iso)) : "");

const queues = Object.fromEntries(site.queues.map((q) => [q.id, q]));
const counters = Object.fromEntries(site.counters.map((c) => [c.id, c]));
export const queueInfo = (id) => queues[id] ?? { id, name: id, target_minutes: 20, kind: "" };
export const counterLabel = (id) => counters[id]?.label ?? id ?? "";
export const counterInfo = (id) => counters[id];
export const languageName = (code) => texts.languages[code] ?? code;
export const concernLabel = (concern) =>
  concern ? (site.concerns[concern.id ?? concern] ?? concern.label ?? concern) : "–";

// Seconds since the data arrived, so waiting times keep counting between updates.
let receivedAt = performance.now();
export function markReceived() { receivedAt = performance.now(); }
export const elapsed = () => Math.floor((performance.now() - receivedAt) / 1000);
export function tick(render, ms = 5000) { setInterval(render, ms); }

export function waitCell(seconds, targetMinutes) {
  return h("span", { class: `wait wait-${waitLevel(seconds, targetMinutes)}` },
    t("minutes", { minutes: minutes(seconds) }));
}

export function getOverview() {
  return api("GET", `/sites/${encodeURIComponent(site.id)}/overview`);
}

// ---------------------------------------------------------------- printer alerts
const alertBox = document.getElementById("alerts");

async function loadAlerts() {
  let alerts;
  try {
    alerts = await api("GET", `/sites/${encodeURIComponent(site.id)}/alerts`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return; // not offered here
    throw error;
  }
  showAlerts(Array.isArray(alerts) ? alerts : (alerts?.alerts ?? []));
}

// A known cause in the staff member's words; the printer's own message only for unknown ones.
function alertDetail(alert) {
  if (alert.cause) return [" – ", h("span", { class: "alert-cause", title: alert.message ?? "" },
    t(`printer_cause_${alert.cause}`))];
  return alert.message ? ` – ${alert.message}` : null;
}

function showAlerts(alerts) {
  const open = alerts.filter((a) => !a.acknowledged_at);
  put(alertBox, ...open.map((alert) => h("div", { class: "alert", dataset: { alert: alert.id } },
    h("span", { class: "alert-text" },
      h("strong", {}, t("printer_alert", { kiosk: alert.kiosk?.name ?? alert.kiosk ?? "" })),
      alert.ticket_number
        ? [" – ", ...tNodes("printer_alert_ticket", { number: numberNode(alert.ticket_number) })]
        : null,
      alertDetail(alert)),
    h("span", { class: "alert-time" }, clock(alert.created_at)),
    h("button", { type: "button", class: "alert-ack", onclick: () => acknowledge(alert.id) },
      t("acknowledge")))));
  alertBox.hidden = open.length === 0;
}

async function acknowledge(id) {
  try {
    await api("POST", `/alerts/${encodeURIComponent(id)}/acknowledge`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) toast(errorText(error), "error");
  }
  loadAlerts().catch(() => {});
}

// ---------------------------------------------------------------- the /staff socket
export function connect(handlers) {
  const live = document.getElementById("live-state");
  const setLive = (state) => {
    if (!live) return;
    live.dataset.state = state;
    live.textContent = state === "live" ? t("live") : t("offline");
  };
  // eslint-disable-next-line no-undef
  const socket = io("/staff", { withCredentials: true });
  const reloadAlerts = debounce(() => loadAlerts().catch(() => {}), 50);
  socket.on("connect", () => {
    setLive("live");
    // A reconnect may have missed events: read the whole truth again.
    handlers.refresh?.();
    reloadAlerts();
  });
  socket.on("disconnect", () => setLive("offline"));
  socket.on("connect_error", (error) => {
    setLive("offline");
    if (String(error?.message).includes("login required")) toLogin();
  });
  socket.on("ticket", (event) => handlers.ticket?.(event));
  socket.on("queues", (event) => { if (event.site === site.id) handlers.queues?.(event); });
  socket.on("queue_state", (event) => handlers.queueState?.(event));
  socket.on("printer_alert", () => reloadAlerts());
  // Presence and interpreter needs changed: pages that show them read them again.
  socket.on("languages", (event) => (handlers.languages ?? handlers.refresh)?.(event));
  return socket;
}
