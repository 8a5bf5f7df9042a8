// The weekly numbers (GET api/today → week) as an SVG bar chart drawn here from the JSON:
// no charting library, nothing to download. The same numbers are in a table beside it for
// screen readers.

import { h } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 360;
const H = 190;
const PAD = { left: 34, right: 8, top: 12, bottom: 36 };

function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function niceMax(value) {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

export function weeklyChart(week, t, fmt) {
  const { weeks, sends, failures } = week;
  const top = niceMax(Math.max(1, ...sends, ...failures));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, weeks.length);
  const bar = Math.max(2, (slot - 4) / 2);
  const y = (n) => PAD.top + plotH - (n / top) * plotH;
  const titleId = `chart-title-${Math.random().toString(36).slice(2)}`;

  const grid = [0, 0.5, 1].map((f) => {
    const value = Math.round(top * f);
    return s(
      "g", { class: "grid" },
      s("line", { x1: PAD.left, x2: W - PAD.right, y1: y(value), y2: y(value) }),
      s("text", { x: PAD.left - 4, y: y(value) + 4, "text-anchor": "end" }, fmt.number(value)),
    );
  });
  const bars = weeks.map((weekStart, i) => {
    const x = PAD.left + i * slot + 2;
    const label = `${fmt.day(weekStart)} · ${t("chart.sends")} ${sends[i]}, ${t("chart.failures")} ${failures[i]}`;
    return s(
      "g", { class: "week" },
      s("title", {}, label),
      s("rect", { class: "sends", x, y: y(sends[i]), width: bar, height: Math.max(0, plotH + PAD.top - y(sends[i])), rx: 1.5 }),
      s("rect", { class: "failures", x: x + bar, y: y(failures[i]), width: bar, height: Math.max(0, plotH + PAD.top - y(failures[i])), rx: 1.5 }),
      i % 2 === weeks.length % 2
        ? null
        : s("text", { class: "axis", x: x + bar, y: H - PAD.bottom + 14, "text-anchor": "middle" }, fmt.day(weekStart)),
    );
  });
  const legend = s(
    "g", { class: "legend" },
    s("rect", { class: "sends", x: PAD.left, y: H - 14, width: 10, height: 10, rx: 2 }),
    s("text", { x: PAD.left + 14, y: H - 5 }, t("chart.sends")),
    s("rect", { class: "failures", x: PAD.left + 70, y: H - 14, width: 10, height: 10, rx: 2 }),
    s("text", { x: PAD.left + 84, y: H - 5 }, t("chart.failures")),
  );
  const svg = s(
    "svg",
    { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": titleId },
    s("title", { id: titleId }, t("chart.title")),
    ...grid, ...bars, legend,
  );
  const table = h(
    "table", { class: "visually-hidden" },
    h("caption", {}, t("chart.title")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("chart.week")), h("th", { scope: "col" }, t("chart.sends")), h("th", { scope: "col" }, t("chart.failures")))),
    h("tbody", {}, weeks.map((weekStart, i) => h("tr", {}, h("th", { scope: "row" }, fmt.day(weekStart)), h("td", {}, sends[i]), h("td", {}, failures[i])))),
  );
  return h("figure", { class: "chart-box" }, svg, table);
}
