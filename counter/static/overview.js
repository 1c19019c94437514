// The supervisor's overview: every queue and counter live; open or close a queue for today.
import {
  api, clock, config, connect, elapsed, errorText, getOverview, markReceived, minutes,
  queueInfo, refresher, t, texts, tick, toast, waitCell,
} from "./staff.js";
import { h, numberNode, put } from "/static/dom.js";
import {
  loadLanguageStatistics, loadLanguages, renderDemand, renderHours, renderUnmet,
} from "./languages.js";

let overview = null;
let languages = null;
let presence = {};

const refresh = refresher(async () => Promise.all([
  getOverview(), loadLanguages(), loadLanguageStatistics(),
  api("GET", `/sites/${encodeURIComponent(config.site.id)}/presence`),
]), ([data, languageData, statistics, presenceData]) => {
  overview = data;
  languages = languageData;
  presence = Object.fromEntries(presenceData.map((p) => [p.counter, p.state]));
  markReceived();
  render();
  renderHours(document.getElementById("demand-hours"), statistics);
});

function shareCell(q) {
  if (q.within_target_share === null) return h("span", { class: "muted" }, t("no_calls_today"));
  const percent = Math.round(q.within_target_share * 100);
  const level = percent >= q.target.percent ? "ok" : (percent >= q.target.percent - 15 ? "warn" : "bad");
  return h("span", { class: `wait wait-${level}` },
    t("within_target", { share: percent, minutes: q.target.minutes, percent: q.target.percent }));
}

async function setClosed(q, closed) {
  try {
    await api("POST", `/sites/${encodeURIComponent(config.site.id)}/queues/${encodeURIComponent(q.id)}/state`,
      { closed });
    toast(t(closed ? "queue_now_closed" : "queue_now_open", { queue: queueInfo(q.id).name }), "ok");
  } catch (error) {
    toast(errorText(error), "error");
  }
  refresh();
}

function render() {
  if (!overview) return;
  const extra = elapsed();
  put(document.getElementById("ov-queues"), ...overview.queues.map((q) => h("tr",
    { dataset: { queue: q.id, closed: String(q.closed) } },
    h("td", {}, queueInfo(q.id).name),
    h("td", {}, texts.kinds[q.kind] ?? q.kind),
    h("td", { class: "num waiting-count" }, q.waiting),
    h("td", { class: "num" }, q.waiting ? waitCell(q.oldest_wait_seconds + extra, q.target.minutes) : "–"),
    h("td", { class: "num" }, q.called_today),
    h("td", {}, shareCell(q)),
    h("td", { class: "queue-state" },
      h("span", { class: q.closed ? "chip closed" : "chip open" }, q.closed ? t("closed") : t("open")),
      " ",
      h("button", { type: "button", class: "small", onclick: () => setClosed(q, !q.closed) },
        q.closed ? t("open_queue") : t("close_queue"))))));

  put(document.getElementById("ov-counters"), ...overview.counters.map((c) => {
    const cur = c.current;
    return h("li", { class: `counter-card status-${c.status}`, dataset: { counter: c.id } },
      h("div", { class: "counter-name" }, c.label[config.lang] ?? c.label.de),
      h("div", { class: "counter-state" },
        h("span", { class: `chip presence-${presence[c.id] ?? "closed"}` },
          texts.presence[presence[c.id] ?? "closed"]), " ",
        h("span", { class: `chip status-${c.status}` }, texts.statuses[c.status] ?? c.status),
        cur ? [" ", numberNode(cur.number, "mid")] : null),
      cur ? h("div", { class: "muted" }, queueInfo(cur.queue).name, " · ",
        t("at_counter_since", { minutes: minutes(cur.since_seconds + extra) })) : null,
      !cur && c.last_activity_at
        ? h("div", { class: "muted" }, t("idle_since", { time: clock(c.last_activity_at) })) : null,
      c.user ? h("div", { class: "muted" }, c.user) : null,
      c.parked.length ? h("div", { class: "muted" }, `${texts.statuses.parked}: `,
        ...c.parked.map((p) => [numberNode(p.number), " "])) : null);
  }));

  if (languages) {
    renderUnmet(document.getElementById("unmet"), languages.unmet);
    renderDemand(document.getElementById("language-demand"), languages);
  }

  const appointments = overview.waiting.filter((x) => x.appointment);
  put(document.getElementById("appointments"), ...(appointments.length === 0
    ? [h("li", { class: "empty" }, t("no_appointments"))]
    : appointments.map((x) => h("li", { class: x.appointment_due ? "due" : "" },
      numberNode(x.number), " ", t("appointment_at", { time: clock(x.appointment_start) }),
      " · ", h("span", { class: "muted" }, queueInfo(x.queue).name),
      x.appointment_due ? h("span", { class: "chip due" }, t("due")) : null))));
}

connect({ refresh, ticket: () => refresh(), queues: () => refresh(), queueState: () => refresh() });
tick(render, 30000); // minutes only; rebuilding rows more often would eat clicks
refresh();
