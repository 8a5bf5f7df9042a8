// Pieces more than one page shows: a broadcast's tally and progress, a segment's label.

import { plain } from "../api.js";
import { h } from "../dom.js";

export function segmentLabel(segments, code) {
  const found = segments.segments.find((s) => s.segment === code);
  return found ? plain(found.label) : code;
}

export function languageLabel(t, language) {
  return t(language ? `language.${language}` : "language.any");
}

export function done(tally) {
  return tally.recipients - tally.left;
}

export function progressBar(t, tally) {
  const total = Math.max(1, tally.recipients);
  const pct = (n) => `${(100 * n) / total}%`;
  const finished = done(tally);
  return h(
    "div",
    {
      class: "progress", role: "progressbar", "aria-label": t("bc.progress.label"),
      "aria-valuemin": "0", "aria-valuemax": String(tally.recipients), "aria-valuenow": String(finished),
    },
    h("span", { class: "sent", style: `width:${pct(tally.sent)}` }),
    h("span", { class: "failed", style: `width:${pct(tally.failed + tally.unknown + tally.gone)}` }),
    h("span", { class: "blocked", style: `width:${pct(tally.blocked)}` }),
  );
}

export function tallyList(t, tally, fmt) {
  const item = (key, name, value) =>
    h("div", { dataset: { count: name } }, h("dt", {}, t(key)), h("dd", {}, fmt.number(value)));
  return h(
    "dl", { class: "tally" },
    item("bc.sent", "sent", tally.sent),
    item("bc.failed", "failed", tally.failed + tally.unknown),
    item("bc.blocked_short", "blocked", tally.blocked),
    item("bc.gone", "gone", tally.gone),
    item("bc.left", "left", tally.left),
  );
}

export function eta(t, seconds) {
  if (seconds < 60) return t("time.seconds", { n: Math.max(1, seconds) });
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s ? t("time.minutes_seconds", { m, s }) : t("time.minutes", { n: m });
}

export function stateBadge(t, state) {
  return h("span", { class: `badge ${state}` }, t(`bc.state.${state}`));
}
