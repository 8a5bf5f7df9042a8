// 기록: the staff audit log, newest first, a page at a time.

import { plain } from "../api.js";
import { h, replace, section } from "../dom.js";

const PAGE = 30;

export async function render(view, ctx) {
  const { t, api, fmt } = ctx;
  const list = h("ul", { class: "list", id: "log-list" });
  const more = h("button", { type: "button", id: "log-more" }, t("log.more"));
  const end = h("p", { class: "hint", id: "log-end" });
  let before = null;

  const load = async () => {
    more.disabled = true;
    const page = await api.get("api/audit", { limit: PAGE, before });
    list.append(...page.entries.map((entry) => h("li", { dataset: { action: entry.action } },
      // The entry's text names who did it, as the chat's /staff log does.
      h("div", { class: "meta" }, fmt.when(entry.at)),
      h("div", {}, plain(entry.text)))));
    before = page.next_before;
    more.hidden = before === null;
    more.disabled = false;
    end.textContent = before === null ? t(list.childElementCount ? "log.end" : "log.none") : "";
  };
  more.addEventListener("click", () => load().catch((failure) => ctx.toast(failure.message)));
  replace(view, section(t("log.title"), list, end, h("div", { class: "row" }, more)));
  await load();
}
