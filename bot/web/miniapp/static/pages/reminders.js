// 알림: every reminder with its next run and history (skipped runs included); pause, resume,
// delete; and a form to make a new one.

import { plain } from "../api.js";
import { field, h, replace, section } from "../dom.js";
import { languageLabel, segmentLabel } from "./shared.js";

export async function render(view, ctx) {
  const { t, api, fmt } = ctx;
  const segments = await ctx.segments();
  const listBox = h("div", { id: "reminder-list" });
  replace(view, listBox, createForm());
  await reload();

  async function reload() {
    const { reminders } = await api.get("api/reminders");
    replace(listBox, section(t("rm.list"),
      reminders.length
        ? h("ul", { class: "list" }, reminders.map(item))
        : h("p", { class: "hint" }, t("rm.none"))));
  }

  function item(r) {
    const act = api.action();
    const change = (action) => async (event) => {
      event.target.disabled = true;
      try {
        await act.post(`api/reminders/${r.id}/${action}`, {});
        await reload();
      } catch (failure) {
        ctx.toast(failure.message);
        event.target.disabled = false;
      }
    };
    const buttons = h("div", { class: "row" });
    const drawButtons = (asking) => replace(buttons, asking
      ? [h("span", { class: "grow" }, t("rm.delete.sure")),
         h("button", { type: "button", class: "danger", dataset: { action: "delete-yes" }, onclick: change("delete") }, t("rm.delete.yes")),
         h("button", { type: "button", onclick: () => drawButtons(false) }, t("rm.delete.no"))]
      : [r.state === "active"
          ? h("button", { type: "button", dataset: { action: "pause" }, onclick: change("pause") }, t("rm.pause"))
          : r.state === "paused"
            ? h("button", { type: "button", dataset: { action: "resume" }, onclick: change("resume") }, t("rm.resume"))
            : null,
         h("button", { type: "button", class: "danger", dataset: { action: "delete" },
           onclick: () => { drawButtons(true); buttons.querySelector("[data-action=delete-yes]").focus(); } },
         t("rm.delete"))]);
    drawButtons(false);
    const history = h("details", { class: "history" },
      h("summary", {}, t("rm.history", { n: r.history.length })),
      r.history.length
        ? h("ul", { class: "list" }, r.history.map((run) => h("li", { dataset: { outcome: run.outcome } },
            h("div", { class: "meta" }, fmt.when(run.at)),
            h("div", {}, run.outcome === "skipped"
              ? t(run.skip_reason === "empty" ? "rm.skipped.empty" : "rm.skipped")
              : run.broadcast_id
                ? t("rm.ran.tally", { id: run.broadcast_id, sent: run.tally ? run.tally.sent : 0 })
                : t("rm.ran")))))
        : h("p", { class: "hint" }, t("rm.history.none")));
    return h("li", { dataset: { reminder: r.id, state: r.state } },
      h("div", { class: "row" },
        h("strong", { class: "grow" }, plain(r.schedule_text)),
        h("span", { class: `badge ${r.state === "active" ? "on" : r.state}` }, t(`rm.state.${r.state}`))),
      h("div", { class: "meta" }, `${segmentLabel(segments, r.segment)} · ${languageLabel(t, r.language)}`),
      h("div", { class: "meta next-run" }, r.next_run_at ? t("rm.next", { when: fmt.when(r.next_run_at) }) : t("rm.next.none")),
      h("p", { class: "clamp" }, plain(r.text_ko)),
      buttons,
      history);
  }

  function createForm() {
    const repeat = h("select", { id: "rm-repeat" },
      ["monthly", "weekly", "once"].map((v) => h("option", { value: v }, t(`rm.repeat.${v}`))));
    const monthDay = h("input", { id: "rm-day", type: "number", min: "1", max: "31", value: "1", inputmode: "numeric" });
    const weekday = h("select", { id: "rm-weekday" },
      [0, 1, 2, 3, 4, 5, 6].map((d) => h("option", { value: String(d) }, t(`weekday.${d}`))));
    const date = h("input", { id: "rm-date", type: "date" });
    const time = h("input", { id: "rm-time", type: "time", value: "10:00", required: true });
    const segment = h("select", { id: "rm-segment" },
      segments.segments.map((s) => h("option", { value: s.segment }, plain(s.label))));
    const language = h("select", { id: "rm-language" },
      ["", "ko", "en"].map((code) => h("option", { value: code }, languageLabel(t, code || null))));
    const textKo = h("textarea", { id: "rm-text-ko", rows: 4 });
    const textEn = h("textarea", { id: "rm-text-en", rows: 3 });
    const error = h("p", { class: "error", role: "alert", id: "rm-error" });
    const save = h("button", { type: "submit", class: "primary", id: "rm-save" }, t("rm.save"));
    const dayField = field(t("rm.day_of_month"), monthDay);
    const weekdayField = field(t("rm.weekday"), weekday);
    const dateField = field(t("rm.date"), date);
    const showDay = () => {
      dayField.hidden = repeat.value !== "monthly";
      weekdayField.hidden = repeat.value !== "weekly";
      dateField.hidden = repeat.value !== "once";
    };
    repeat.addEventListener("change", showDay);
    showDay();
    const act = api.action();
    const form = h("form", { id: "rm-form", novalidate: true }, 
      field(t("rm.repeat"), repeat), dayField, weekdayField, dateField,
      field(t("rm.time"), time),
      field(t("rm.segment"), segment), field(t("language.label"), language),
      field(t("rm.text_ko"), textKo), field(t("rm.text_en"), textEn),
      error, h("div", { class: "row" }, save));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const [hour, minute] = (time.value || "0:0").split(":").map(Number);
      const schedule = { repeat: repeat.value, hour, minute, day: null, once_at: null };
      if (repeat.value === "monthly") schedule.day = Number(monthDay.value);
      if (repeat.value === "weekly") schedule.day = Number(weekday.value);
      if (repeat.value === "once") schedule.once_at = onceAt(date.value, hour, minute, ctx.me.tz);
      save.disabled = true;
      try {
        await act.post("api/reminders", {
          schedule, segment: segment.value, language: language.value || null,
          text_ko: textKo.value, text_en: textEn.value.trim() ? textEn.value : null,
        });
        textKo.value = "";
        textEn.value = "";
        ctx.toast(t("rm.created"));
        await reload();
      } catch (failure) {
        error.textContent = failure.message;
      } finally {
        save.disabled = false;
      }
    });
    return section(t("rm.create"), form);
  }
}

// A wall-clock date and time in the center's zone as the UTC instant the API wants.
function onceAt(dateValue, hour, minute, tz) {
  if (!dateValue) return null;
  const [y, m, d] = dateValue.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d, hour, minute);
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric",
  }).formatToParts(new Date(guess));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  const shown = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return new Date(guess - (shown - guess)).toISOString().replace(".000Z", "Z");
}
