// 오늘: open questions, broadcasts still sending, the next reminders, the weekly numbers.

import { plain } from "../api.js";
import { weeklyChart } from "../chart.js";
import { h, replace, section } from "../dom.js";
import { eta, languageLabel, progressBar, segmentLabel, tallyList } from "./shared.js";

export async function render(view, ctx) {
  const { t, fmt, api } = ctx;
  const [today, segments] = await Promise.all([api.get("api/today"), ctx.segments()]);

  const questions = section(
    t("today.questions"),
    h("p", {}, today.open_questions
      ? t("today.questions.count", { n: fmt.number(today.open_questions) })
      : t("today.questions.none")),
    today.questions.length
      ? h("ul", { class: "list" }, today.questions.map((q) =>
          h("li", {},
            h("div", { class: "meta" }, `${t("q.number", { id: q.id })} · ${fmt.when(q.created_at)}`),
            q.text ? h("div", { class: "clamp" }, q.text) : null)))
      : null,
    today.open_questions
      ? h("button", { type: "button", onclick: () => ctx.go("questions") }, t("today.questions.open"))
      : null,
  );

  const running = section(
    t("today.running"),
    today.running.length
      ? h("ul", { class: "list" }, today.running.map((b) =>
          h("li", { dataset: { broadcast: b.id } },
            h("div", {}, h("strong", {}, `#${b.id}`), " ",
              `${segmentLabel(segments, b.segment)} · ${languageLabel(t, b.language)}`),
            progressBar(t, b.tally),
            tallyList(t, b.tally, fmt),
            h("p", { class: "meta" }, t("bc.eta", { time: eta(t, b.eta_seconds) })))))
      : h("p", { class: "hint" }, t("today.running.none")),
  );

  const reminders = section(
    t("today.reminders"),
    today.reminders.length
      ? h("ul", { class: "list" }, today.reminders.map((r) =>
          h("li", {},
            h("div", {}, h("strong", {}, plain(r.schedule_text))),
            h("div", { class: "meta" },
              `${segmentLabel(segments, r.segment)} · ${r.next_run_at ? t("rm.next", { when: fmt.when(r.next_run_at) }) : t("rm.next.none")}`))))
      : h("p", { class: "hint" }, t("today.reminders.none")),
  );

  const hasNumbers = today.week.sends.some((n) => n) || today.week.failures.some((n) => n);
  const week = section(
    t("today.week"),
    hasNumbers ? weeklyChart(today.week, t, fmt) : h("p", { class: "hint" }, t("chart.empty")),
    h("p", { class: "meta" }, t("today.week.counted", { when: fmt.when(today.counted_at) })),
  );

  replace(view, questions, running, reminders, week);
  // While something is sending, the numbers move: look again every few seconds.
  if (!today.running.length) return null;
  const timer = setTimeout(() => ctx.go("today"), 3000);
  return () => clearTimeout(timer);
}
