// The staff desk: reads what Telegram handed over, asks the server who this is, then shows
// one page at a time under a row of tabs. Pages load on first use (dynamic import), so the
// first load carries only the shell and the 오늘 page.

import { Api } from "./api.js";
import { formatter, h, replace } from "./dom.js";
import { languageOf, makeT } from "./i18n.js";
import { applyTheme, telegram } from "./telegram.js";

const PAGES = {
  today: () => import("./pages/today.js"),
  broadcast: () => import("./pages/broadcast.js"),
  reminders: () => import("./pages/reminders.js"),
  questions: () => import("./pages/questions.js"),
  volunteers: () => import("./pages/volunteers.js"),
  log: () => import("./pages/log.js"),
};
const ORDER = Object.keys(PAGES);

const view = document.getElementById("view");
const tabs = document.getElementById("tabs");
const toastBox = document.getElementById("toast");
let cleanup = null;
let refused = false;

function stopPage() {
  if (cleanup) cleanup();
  cleanup = null;
}

function showRefusal(t, message) {
  refused = true;
  stopPage();
  tabs.hidden = true;
  document.body.dataset.state = "refused";
  replace(
    view,
    h(
      "section", { class: "card refusal", role: "alert", id: "refusal" },
      h("h2", {}, t("app.refused.title")),
      h("p", { class: "refusal-reason" }, message),
    ),
  );
}

function toast(message) {
  toastBox.textContent = message;
  toastBox.classList.add("shown");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => toastBox.classList.remove("shown"), 4000);
}

function buildTabs(t, onPick) {
  const buttons = ORDER.map((name) =>
    h("button", {
      type: "button", role: "tab", id: `tab-${name}`, "aria-controls": "view",
      dataset: { tab: name }, onclick: () => onPick(name),
    }, t(`tab.${name}`)),
  );
  tabs.setAttribute("aria-label", t("tabs.label"));
  // Arrow keys move between tabs (one tab stop for the row), as a tab list does.
  tabs.addEventListener("keydown", (event) => {
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -at, End: buttons.length - 1 - at }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = buttons[(at + step + buttons.length) % buttons.length];
    next.focus();
    onPick(next.dataset.tab);
  });
  replace(tabs, buttons);
  return buttons;
}

async function main() {
  const tg = telegram();
  applyTheme(tg.theme);
  let lang = languageOf(tg.user.language_code);
  let t = makeT(lang);
  document.documentElement.lang = lang;
  document.title = t("app.title");
  document.querySelector(".skip").remove();
  if (!tg.initData) {
    showRefusal(t, t("app.no_init_data"));
    return;
  }
  const api = new Api(tg.initData, (error) => showRefusal(t, error.message));
  let me;
  try {
    me = await api.get("api/me");
  } catch (error) {
    if (!refused) replace(view, h("p", { class: "error", role: "alert" }, t("app.error")));
    return;
  }
  lang = me.language;
  t = makeT(lang);
  document.documentElement.lang = lang;
  document.title = t("app.title");
  document.getElementById("title").textContent = t("app.title");
  const fmt = formatter(lang, me.tz);
  let segmentsCache = null;
  const ctx = {
    api, t, lang, fmt, me, toast,
    // The segments' labels in this user's language, fetched once for every page.
    segments: async () => (segmentsCache ||= await api.get("api/segments")),
    freshSegments: async (query) => (segmentsCache = await api.get("api/segments", query)),
    go: (name) => show(name),
  };
  const buttons = buildTabs(t, (name) => show(name));

  // Each visit renders into a box of its own, shown only if it is still the visit the user
  // wants: a slow page answered after a quick switch to another tab is dropped unseen.
  let visit = 0;
  // What `main` shows, and which page that is (data-page: the tests wait on it).
  function mount(name, ...nodes) {
    view.setAttribute("aria-labelledby", `tab-${name}`);
    view.dataset.page = name;
    replace(view, ...nodes);
  }
  async function show(name) {
    if (refused) return;
    stopPage();
    const mine = ++visit;
    sessionStorage.setItem("tab", name);
    for (const button of buttons) {
      const on = button.dataset.tab === name;
      button.setAttribute("aria-selected", on ? "true" : "false");
      button.tabIndex = on ? 0 : -1;
    }
    // "Loading" only when it takes a moment: a page that answers quickly swaps in without a
    // flash. (Pages whose numbers move update them in place themselves: pages/today.js.)
    const loading = setTimeout(() => {
      if (mine === visit) mount(name, h("p", { class: "hint" }, t("app.loading")));
    }, 150);
    const box = h("div", { class: "page" });
    try {
      const page = await PAGES[name]();
      const stop = await page.render(box, ctx);
      clearTimeout(loading);
      if (mine !== visit || refused) {
        if (stop) stop();
        return;
      }
      mount(name, box);
      cleanup = stop || null;
    } catch (error) {
      clearTimeout(loading);
      if (refused || error.refusal || mine !== visit) return;
      console.error(error);
      mount(
        name,
        h("p", { class: "error", role: "alert" }, error.message || t("app.error")),
        h("button", { type: "button", onclick: () => show(name) }, t("app.retry")),
      );
    }
  }

  const saved = sessionStorage.getItem("tab");
  show(ORDER.includes(tg.page) ? tg.page : ORDER.includes(saved) ? saved : "today");
}

main();
