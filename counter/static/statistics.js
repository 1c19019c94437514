// Charts of the statistics page, drawn with Chart.js from the page's JSON block.
// The tables on the page show the same figures without JavaScript.
const data = JSON.parse(document.getElementById("stats-data").textContent);
const { Chart } = window;
const palette = ["#1f5ea8", "#d97706", "#15803d", "#b91c1c", "#7c3aed", "#0e7490", "#be185d"];
const rtl = document.documentElement.dir === "rtl";

const common = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: "index", intersect: false },
  plugins: { legend: { position: "bottom", rtl } },
};

function line(label, values, color, extra = {}) {
  return { type: "line", label, data: values, borderColor: color, backgroundColor: color,
           spanGaps: true, pointRadius: 2, tension: 0.2, ...extra };
}

function draw(id, config) {
  const canvas = document.getElementById(id);
  if (canvas && Chart) new Chart(canvas, config);
}

const { labels, waits } = data;

draw("chart-waits", {
  type: "bar",
  data: {
    labels: data.days,
    datasets: [
      { type: "bar", label: labels.mean_wait, data: waits.mean, backgroundColor: "#9dbfe6",
        yAxisID: "minutes" },
      line(labels.p90_wait, waits.p90, palette[0], { yAxisID: "minutes" }),
      line(labels.within, waits.within, palette[2], { yAxisID: "percent", borderDash: [6, 3] }),
    ],
  },
  options: {
    ...common,
    scales: {
      minutes: { position: rtl ? "right" : "left", beginAtZero: true },
      percent: { position: rtl ? "left" : "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
      x: { reverse: rtl },
    },
  },
});

draw("chart-service", {
  type: "line",
  data: {
    labels: data.days,
    datasets: [
      line(labels.service, waits.service, palette[0]),
      line(labels.service_p90, waits.service_p90, palette[5], { borderDash: [6, 3] }),
      line(labels.error, waits.error, palette[1]),
    ],
  },
  options: { ...common, scales: { y: { beginAtZero: true, position: rtl ? "right" : "left" },
                                  x: { reverse: rtl } } },
});

draw("chart-arrivals", {
  type: "bar",
  data: {
    labels: data.heat.hours,
    datasets: data.heat.weekdays.map((weekday, i) => ({
      label: weekday, data: data.heat.values[i], backgroundColor: palette[i % palette.length],
    })),
  },
  options: {
    ...common,
    scales: { y: { beginAtZero: true, position: rtl ? "right" : "left",
                   title: { display: true, text: labels.arrivals } },
              x: { reverse: rtl } },
  },
});
