// Language demand and interpreter needs, shared by the overview and the reception desk.
import { api, config, languageName, queueInfo, t, tNodes } from "./staff.js";
import { h, numberNode, put } from "/static/dom.js";

const siteId = encodeURIComponent(config.site.id);

// A language named in the page's language and in itself, e.g. "Arabic · العربية".
export function languageLabel(entry) {
  const name = languageName(entry.code) === entry.code ? entry.name : languageName(entry.code);
  return entry.native && entry.native !== name
    ? [name, " · ", h("span", { lang: entry.code, dir: "auto" }, entry.native)] : [name];
}

export function renderUnmet(box, unmet) {
  box.hidden = unmet.length === 0;
  put(box, ...unmet.map((u) => h("li", { dataset: { ticket: u.number } },
    ...tNodes("waits_for", { number: numberNode(u.number), language: languageLabel(u)[0] }),
    " (", queueInfo(u.queue).name, ")")));
}

export function renderDemand(body, overview) {
  const rows = overview.queues.filter((q) => q.languages.length > 0);
  put(body, ...(rows.length === 0
    ? [h("tr", {}, h("td", { colspan: 5, class: "empty" }, t("no_waiting")))]
    : rows.flatMap((q) => q.languages.map((l, index) => h("tr",
      { dataset: { queue: q.queue, language: l.code } },
      index === 0 ? h("th", { rowspan: q.languages.length, scope: "rowgroup" },
        queueInfo(q.queue).name, h("div", { class: "muted" },
          t("open_counters", { count: q.open_counters }))) : null,
      h("td", {}, ...languageLabel(l)),
      h("td", { class: "num" }, l.waiting),
      h("td", { class: "num" }, l.needs_interpreter || "–"),
      h("td", { class: `num${l.waiting && !l.open_clerks ? " short" : ""}` }, l.open_clerks))))));
}

// Today's arrivals per hour and language, from the statistics (supervisors only).
export function renderHours(table, stats) {
  const codes = [...new Set(stats.demand.map((r) => r.language))].sort();
  const hours = [...new Set(stats.demand.map((r) => r.hour))].sort((a, b) => a - b);
  const count = (hour, code) => stats.demand
    .filter((r) => r.hour === hour && r.language === code).reduce((n, r) => n + r.arrivals, 0);
  put(table.tHead, h("tr", {}, h("th", {}, t("hour")),
    ...codes.map((code) => h("th", { class: "num" }, languageName(code)))));
  put(table.tBodies[0], ...(hours.length === 0
    ? [h("tr", {}, h("td", { class: "empty" }, t("no_arrivals")))]
    : hours.map((hour) => h("tr", {}, h("td", {}, `${String(hour).padStart(2, "0")}:00`),
      ...codes.map((code) => h("td", { class: "num" }, count(hour, code) || "–"))))));
}

export const loadLanguages = () => api("GET", `/sites/${siteId}/languages`);
export const loadLanguageStatistics = () => api("GET", `/sites/${siteId}/statistics/languages`);
