// 기록: the staff audit log, newest first, a page at a time.

import { h, replace, section } from "../dom.js";

const PAGE = 30;

export async function render(view, ctx) {
  const { t, api, fmt } = ctx;
  const list = h("ul", { class: "list", id: "log-list" });
  const more = h("button", { type: "button", id: "log-more" }, t("log.more"));
  const end = h("p", { class: "hint", id: "log-end" });
  let before = null;

  const actor = (entry) => {
    if (!entry.actor) return t("bot");
    if (entry.actor.me) return t("me");
    return entry.actor.name || (entry.actor.id === null ? t("someone_forgot") : t("someone"));
  };
  const load = async () => {
    more.disabled = true;
    const page = await api.get("api/audit", { limit: PAGE, before });
    list.append(...page.entries.map((entry) => h("li", { dataset: { action: entry.action } },
      h("div", { class: "meta" }, `${fmt.when(entry.at)} · ${actor(entry)}`),
      h("div", {}, entry.text))));
    before = page.next_before;
    more.hidden = before === null;
    more.disabled = false;
    end.textContent = before === null ? t(list.childElementCount ? "log.end" : "log.none") : "";
  };
  more.addEventListener("click", () => load().catch((failure) => ctx.toast(failure.message)));
  replace(view, section(t("log.title"), list, end, h("div", { class: "row" }, more)));
  await load();
}
