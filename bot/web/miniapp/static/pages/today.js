// 오늘: open questions, broadcasts still sending, the next reminders, the weekly numbers.
//
// While something is sending, the numbers move: the page asks again every few seconds and
// writes what changed into the nodes it drew first. Nothing is drawn again, so keyboard focus
// and a screen reader's place stay where the user left them.

import { plain } from "../api.js";
import { weeklyChart } from "../chart.js";
import { h, replace, section } from "../dom.js";
import {
  eta, languageLabel, progressBar, segmentLabel, setProgress, setTally, setText, tallyList,
} from "./shared.js";

const EVERY_MS = 3000;

export async function render(view, ctx) {
  const { api } = ctx;
  const [today, segments] = await Promise.all([api.get("api/today"), ctx.segments()]);
  const cards = [questionsCard(ctx), runningCard(ctx, segments), remindersCard(ctx, segments), weekCard(ctx)];
  for (const card of cards) card.update(today);
  replace(view, cards.map((card) => card.node));
  if (!today.running.length) return null;

  let timer = null;
  let stopped = false;
  const look = async () => {
    let again = true;
    try {
      const now = await api.get("api/today");
      if (stopped) return;
      for (const card of cards) card.update(now);
      again = now.running.length > 0; // all sent: the numbers stand still
    } catch (error) {
      if (stopped || error.refusal) return; // a refusal shows itself (app.js)
    }
    if (again && !stopped) timer = setTimeout(look, EVERY_MS);
  };
  timer = setTimeout(look, EVERY_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// Redraws `box`'s content only when what it shows changed (compared as JSON).
function drawWhenChanged(box, draw) {
  let shown = null;
  return (value) => {
    const json = JSON.stringify(value);
    if (json === shown) return;
    shown = json;
    replace(box, draw(value));
  };
}

function questionsCard({ t, fmt, go }) {
  const count = h("p", {});
  const list = h("div", {});
  const open = h("button", { type: "button", id: "today-open-questions", onclick: () => go("questions") },
    t("today.questions.open"));
  const drawList = drawWhenChanged(list, (questions) => questions.length
    ? h("ul", { class: "list" }, questions.map((q) =>
        h("li", {},
          h("div", { class: "meta" }, `${t("q.number", { id: q.id })} · ${fmt.when(q.created_at)}`),
          q.text ? h("div", { class: "clamp" }, q.text) : null)))
    : null);
  return {
    node: section(t("today.questions"), count, list, open),
    update(today) {
      setText(count, today.open_questions
        ? t("today.questions.count", { n: fmt.number(today.open_questions) })
        : t("today.questions.none"));
      drawList(today.questions);
      open.hidden = !today.open_questions;
    },
  };
}

function runningCard({ t, fmt }, segments) {
  const list = h("ul", { class: "list", id: "today-running" });
  const none = h("p", { class: "hint" }, t("today.running.none"));
  const items = new Map(); // broadcast id → its nodes, kept while it is sending
  const item = (b) => {
    const bar = progressBar(t, b.tally);
    const counts = tallyList(t, b.tally, fmt);
    const left = h("p", { class: "meta" });
    const li = h("li", { dataset: { broadcast: b.id } },
      h("div", {}, h("strong", {}, `#${b.id}`), " ",
        `${segmentLabel(segments, b.segment)} · ${languageLabel(t, b.language)}`),
      bar, counts, left);
    return { li, bar, counts, left };
  };
  return {
    node: section(t("today.running"), list, none),
    update(today) {
      const ids = new Set(today.running.map((b) => b.id));
      for (const [id, nodes] of items) {
        if (!ids.has(id)) {
          nodes.li.remove();
          items.delete(id);
        }
      }
      for (const b of today.running) {
        if (!items.has(b.id)) items.set(b.id, item(b));
        const nodes = items.get(b.id);
        setProgress(nodes.bar, b.tally);
        setTally(nodes.counts, b.tally, fmt);
        setText(nodes.left, t("bc.eta", { time: eta(t, b.eta_seconds) }));
        if (nodes.li.parentNode !== list) list.append(nodes.li); // new ones last, as listed
      }
      list.hidden = !today.running.length;
      none.hidden = today.running.length > 0;
    },
  };
}

function remindersCard({ t, fmt }, segments) {
  const box = h("div", {});
  const draw = drawWhenChanged(box, (reminders) => reminders.length
    ? h("ul", { class: "list" }, reminders.map((r) =>
        h("li", {},
          h("div", {}, h("strong", {}, plain(r.schedule_text))),
          h("div", { class: "meta" },
            `${segmentLabel(segments, r.segment)} · ${r.next_run_at ? t("rm.next", { when: fmt.when(r.next_run_at) }) : t("rm.next.none")}`))))
    : h("p", { class: "hint" }, t("today.reminders.none")));
  return { node: section(t("today.reminders"), box), update: (today) => draw(today.reminders) };
}

function weekCard({ t, fmt }) {
  const chart = h("div", {});
  const counted = h("p", { class: "meta" });
  const draw = drawWhenChanged(chart, (week) => week.sends.some((n) => n) || week.failures.some((n) => n)
    ? weeklyChart(week, t, fmt)
    : h("p", { class: "hint" }, t("chart.empty")));
  return {
    node: section(t("today.week"), chart, counted),
    update(today) {
      draw(today.week);
      setText(counted, t("today.week.counted", { when: fmt.when(today.counted_at) }));
    },
  };
}
