// 봉사자: one volunteer by the VMS ID they tell you (exact match, shown masked) or by their
// question's number; what the segments see of them, nothing more.

import { field, h, replace, section } from "../dom.js";
import { segmentLabel } from "./shared.js";

export async function render(view, ctx) {
  const { t, api, fmt } = ctx;
  const segments = await ctx.segments();
  const vmsId = h("input", { id: "v-vms-id", type: "text", autocomplete: "off", spellcheck: false });
  const question = h("input", { id: "v-question", type: "number", min: "1", inputmode: "numeric" });
  const result = h("div", { id: "v-result", "aria-live": "polite" });
  let searches = 0;
  const form = h("form", { id: "v-form" },
    field(t("v.vms_id"), vmsId), field(t("v.question"), question),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary", id: "v-search" }, t("v.search"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const byId = vmsId.value.trim();
    const byQuestion = question.value.trim();
    if (!byId === !byQuestion) {
      replace(result, h("p", { class: "card error", role: "alert" }, t("v.need_one")));
      return;
    }
    // Only the latest search's answer is shown, whatever order the answers come back in.
    const mine = ++searches;
    replace(result, h("p", { class: "card hint", id: "v-searching" }, t("app.loading")));
    try {
      const { volunteers } = await api.get("api/volunteers", byId ? { vms_id: byId } : { question: byQuestion });
      if (mine !== searches) return;
      replace(result, volunteers.length
        ? volunteers.map(card)
        : h("p", { class: "card hint", id: "v-none" }, t("v.none")));
    } catch (failure) {
      if (!failure.refusal && mine === searches) replace(result, h("p", { class: "card error", role: "alert" }, failure.message));
    }
  });
  replace(view, section(t("v.title"), h("p", { class: "hint" }, t("v.hint")), form), result);

  function yesNo(value) {
    return value === null || value === undefined ? t("unknown") : t(value ? "yes" : "no");
  }

  function card(v) {
    const f = v.facts;
    const row = (key, value) => [h("dt", {}, t(key)), h("dd", {}, value)];
    return h("section", { class: "card volunteer" },
      h("h2", {}, v.vms_id_masked || t("v.not_linked")),
      h("dl", { class: "facts" },
        row("v.linked", yesNo(v.linked)),
        row("v.language", t(`lang.${v.language}`)),
        row("v.segments", v.segments.length ? v.segments.map((s) => segmentLabel(segments, s)).join(", ") : t("v.segments.none")),
        row("v.blocked", yesNo(v.blocked)),
        row("v.notices_off", yesNo(v.notices_off)),
        row("v.as_of", f.as_of ? fmt.when(f.as_of) : t("unknown")),
        row("v.consent_1365", yesNo(f.consent_1365)),
        row("v.consent_vms", yesNo(f.consent_vms)),
        row("v.unsent", f.unsent === null ? t("unknown") : fmt.number(f.unsent)),
        row("v.failed", f.failed === null ? t("unknown") : fmt.number(f.failed)),
        row("v.last_sent", f.last_sent_at ? fmt.when(f.last_sent_at) : t("unknown")),
        row("v.questions", v.question_ids.length ? v.question_ids.map((n) => `#${n}`).join(", ") : t("v.questions.none"))));
  }
}
