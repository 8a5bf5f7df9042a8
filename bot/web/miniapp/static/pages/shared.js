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
  const bar = h(
    "div",
    { class: "progress", role: "progressbar", "aria-label": t("bc.progress.label"), "aria-valuemin": "0" },
    h("span", { class: "sent" }),
    h("span", { class: "failed" }),
    h("span", { class: "blocked" }),
  );
  return setProgress(bar, tally);
}

// The same bar with new numbers, in place (the node, its label and its place stay).
export function setProgress(bar, tally) {
  const total = Math.max(1, tally.recipients);
  const pct = (n) => `${(100 * n) / total}%`;
  bar.setAttribute("aria-valuemax", String(tally.recipients));
  bar.setAttribute("aria-valuenow", String(done(tally)));
  bar.querySelector(".sent").style.width = pct(tally.sent);
  bar.querySelector(".failed").style.width = pct(tally.failed + tally.unknown + tally.gone);
  bar.querySelector(".blocked").style.width = pct(tally.blocked);
  return bar;
}

const COUNTS = [
  ["bc.sent", "sent", (tally) => tally.sent],
  ["bc.failed", "failed", (tally) => tally.failed + tally.unknown],
  ["bc.blocked_short", "blocked", (tally) => tally.blocked],
  ["bc.gone", "gone", (tally) => tally.gone],
  ["bc.left", "left", (tally) => tally.left],
];

export function tallyList(t, tally, fmt) {
  const list = h("dl", { class: "tally" },
    COUNTS.map(([key, name]) => h("div", { dataset: { count: name } }, h("dt", {}, t(key)), h("dd", {}))));
  return setTally(list, tally, fmt);
}

// The same list with new numbers: only the numbers that changed are written.
export function setTally(list, tally, fmt) {
  for (const [, name, value] of COUNTS) {
    setText(list.querySelector(`[data-count=${name}] dd`), fmt.number(value(tally)));
  }
  return list;
}

// Writes a text only when it changed, so a screen reader is not sent to read it again.
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
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
