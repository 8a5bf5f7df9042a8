// 공지: pick who (live counts), write (preview beside, from the server's checker), confirm,
// watch it go out (progress, cancel, final report); past broadcasts below.

import { plain } from "../api.js";
import { field, h, id, replace, section } from "../dom.js";
import {
  eta, languageLabel, progressBar, segmentLabel, stateBadge, tallyList,
} from "./shared.js";

const POLL_MS = 1000;
const RECOUNT_MS = 10000;
const PREVIEW_DELAY_MS = 250;

export async function render(view, ctx) {
  const { t, api } = ctx;
  const timers = new Set();
  const later = (fn, ms) => {
    const timer = setTimeout(() => { timers.delete(timer); fn(); }, ms);
    timers.add(timer);
  };
  const state = { segment: "all", language: null, textKo: "", textEn: "" };
  const [segments, past] = await Promise.all([
    ctx.freshSegments({}), api.get("api/broadcasts", { limit: 20 }),
  ]);
  const work = h("div", { id: "broadcast-work" });
  const history = h("div", { id: "broadcast-history" });
  replace(view, work, history);
  renderPast(past.broadcasts);

  const sending = past.broadcasts.find((b) => b.state === "sending");
  if (sending) watch(sending);
  else compose();

  // -- 1. who and what -------------------------------------------------------------------
  function compose() {
    let counted = segments;
    const choices = h("div", { class: "choices" });
    const freshness = h("p", { class: "hint", id: "freshness" });
    const drawChoices = () => {
      replace(choices, counted.segments.map((s) => {
        const input = h("input", {
          type: "radio", name: "segment", value: s.segment, checked: s.segment === state.segment,
          onchange: () => { state.segment = s.segment; },
        });
        return h("label", { class: "choice", dataset: { segment: s.segment } },
          input,
          h("span", { class: "label" }, plain(s.label),
            s.blocked ? h("span", { class: "sub" }, t("bc.blocked", { n: s.blocked })) : null),
          h("span", { class: "count" }, t("count.people", { n: ctx.fmt.number(s.recipients) })));
      }));
      freshness.textContent = plain(counted.freshness.text);
    };
    const recount = async () => {
      counted = await ctx.freshSegments(state.language ? { language: state.language } : {});
      drawChoices();
    };
    // The counts stay live while the picker is on screen.
    const tick = () => later(() => {
      if (choices.isConnected) recount().then(tick, () => {});
    }, RECOUNT_MS);
    const language = h("select", {
      id: "bc-language",
      onchange: (e) => { state.language = e.target.value || null; recount(); },
    }, ["", "ko", "en"].map((code) => h("option", { value: code, selected: (state.language || "") === code },
      languageLabel(t, code || null))));
    drawChoices();
    tick();

    const ko = textArea("bc-text-ko", state.textKo);
    const en = textArea("bc-text-en", state.textEn);
    const paneKo = h("div", { class: "preview", id: "preview-ko", "aria-live": "polite" });
    const paneEn = h("div", { class: "preview", id: "preview-en", "aria-live": "polite" });
    const formError = h("p", { class: "error", role: "alert", id: "bc-error" });
    const next = h("button", { type: "button", class: "primary", id: "bc-next" }, t("bc.next"));
    const draftAction = api.action();
    let asked = 0;

    const showPreview = (preview) => {
      const two = Boolean(state.textEn.trim());
      drawPane(paneKo, ko, preview ? preview.ko : null, two ? t("bc.preview.for_ko") : t("bc.preview.for_all"));
      paneEn.hidden = !two;
      if (two) drawPane(paneEn, en, preview ? preview.en : null, t("bc.preview.for_en"));
    };
    const refreshPreview = async () => {
      const mine = ++asked;
      if (!state.textKo.trim() && !state.textEn.trim()) { showPreview(null); return; }
      const preview = await api.request("POST", "api/preview", {
        body: { text_ko: state.textKo, text_en: state.textEn.trim() ? state.textEn : null },
      });
      if (mine === asked) showPreview(preview);
    };
    let pending = null;
    const onInput = () => {
      state.textKo = ko.value;
      state.textEn = en.value;
      formError.textContent = "";
      clearTimeout(pending);
      pending = setTimeout(() => refreshPreview().catch(() => {}), PREVIEW_DELAY_MS);
    };
    ko.addEventListener("input", onInput);
    en.addEventListener("input", onInput);
    next.addEventListener("click", async () => {
      next.disabled = true;
      formError.textContent = "";
      try {
        const { draft } = await draftAction.post("api/broadcasts/drafts", {
          segment: state.segment, language: state.language,
          text_ko: state.textKo, text_en: state.textEn.trim() ? state.textEn : null,
        });
        if (draft.recipients === 0) {
          formError.textContent = t("bc.nobody");
          return;
        }
        confirmStep(draft);
      } catch (error) {
        if (error.code === "html_invalid" && error.detail.problems) {
          const { problems } = error.detail;
          showPreview({
            ko: problems.ko ? { problem: problems.ko } : null,
            en: problems.en ? { problem: problems.en } : null,
          });
          refreshPreview().catch(() => {});
        }
        formError.textContent = error.message;
      } finally {
        next.disabled = false;
      }
    });

    replace(work,
      section(t("bc.who"),
        h("p", { class: "hint" }, t("bc.who.hint")),
        field(t("language.label"), language),
        h("fieldset", {}, h("legend", { class: "visually-hidden" }, t("bc.who")), choices),
        freshness),
      section(t("bc.write"),
        h("p", { class: "hint" }, t("bc.howto")),
        h("div", { class: "compose" },
          h("div", { class: "compose-pair" }, field(t("bc.text_ko"), ko), paneKo),
          h("div", { class: "compose-pair" }, field(t("bc.text_en"), en), paneEn)),
        formError,
        h("div", { class: "row" }, next)),
    );
    showPreview(null);
    if (state.textKo || state.textEn) refreshPreview().catch(() => {});
  }

  function textArea(elementId, value) {
    return h("textarea", { id: elementId, rows: 6, spellcheck: false, value });
  }

  // One language's preview: the bubble as Telegram will show it, or what is wrong and where.
  function drawPane(pane, textarea, preview, title) {
    const heading = h("h3", {}, title);
    if (!preview) {
      textarea.removeAttribute("aria-invalid");
      replace(pane, heading, h("p", { class: "hint" }, t("bc.preview.empty")));
      return;
    }
    if (preview.problem) {
      const { problem } = preview;
      textarea.setAttribute("aria-invalid", "true");
      const jump = problem.position
        ? h("button", {
            type: "button", class: "link-button",
            onclick: () => {
              textarea.focus();
              textarea.setSelectionRange(problem.position - 1, problem.position);
            },
          }, t("bc.problem.where", { position: problem.position }))
        : null;
      replace(pane, heading,
        h("p", { class: "problem", role: "alert", dataset: { reason: problem.reason } },
          plain(problem.message)),
        jump);
      return;
    }
    textarea.removeAttribute("aria-invalid");
    const bubble = h("div", { class: "bubble" });
    // The server renders Telegram's entities as safe HTML (escaped text, allow-listed tags).
    bubble.innerHTML = preview.html;
    replace(pane, heading, bubble,
      h("p", { class: "meta" }, t("bc.length", { length: preview.length, limit: preview.limit })));
  }

  // -- 2. confirm ------------------------------------------------------------------------
  function confirmStep(draft) {
    const send = h("button", { type: "button", class: "primary", id: "bc-send" },
      t("bc.confirm.send", { n: ctx.fmt.number(draft.recipients) }));
    const back = h("button", { type: "button", id: "bc-back", onclick: () => compose() }, t("bc.confirm.back"));
    const error = h("p", { class: "error", role: "alert" });
    const two = Boolean(draft.text_en);
    const panes = [
      pane(draft.preview.ko, two ? t("bc.preview.for_ko") : t("bc.preview.for_all")),
      two ? pane(draft.preview.en, t("bc.preview.for_en")) : null,
    ];
    send.addEventListener("click", async () => {
      send.disabled = true;
      back.disabled = true;
      try {
        const { broadcast } = await api.request(
          "POST", `api/broadcasts/drafts/${encodeURIComponent(draft.id)}/confirm`,
          { body: {}, key: draft.confirm_key },
        );
        state.textKo = "";
        state.textEn = "";
        watch(broadcast);
      } catch (failure) {
        error.textContent = failure.message;
        send.disabled = false;
        back.disabled = false;
      }
    });
    replace(work, section(t("bc.confirm.title"),
      h("p", {}, h("strong", {}, segmentLabel(segments, draft.segment)), ` · ${languageLabel(t, draft.language)}`),
      h("p", { id: "bc-recipients" }, t("bc.confirm.recipients", { n: ctx.fmt.number(draft.recipients) })),
      h("p", { class: "hint" }, two ? t("bc.confirm.two_texts") : t("bc.confirm.one_text")),
      h("div", { class: "compose" }, panes),
      error,
      h("div", { class: "row" }, send, back)));
    send.focus();
  }

  function pane(preview, title) {
    const bubble = h("div", { class: "bubble" });
    bubble.innerHTML = preview.html;
    return h("div", { class: "preview" }, h("h3", {}, title), bubble);
  }

  // -- 3. progress, cancel, report -------------------------------------------------------
  function watch(broadcast) {
    const card = h("section", { class: "card", id: "progress", "aria-labelledby": id("p") });
    const cancelAction = api.action();
    let asking = false;
    const draw = (b) => {
      card.dataset.state = b.state;
      const heading = h("h2", { id: card.getAttribute("aria-labelledby") },
        t(b.state === "sending" ? "bc.progress.title" : `bc.progress.${b.state}`, { id: b.id }));
      const parts = [heading, progressBar(t, b.tally), tallyList(t, b.tally, ctx.fmt)];
      if (b.state === "sending") {
        parts.push(h("p", { class: "meta", id: "eta" }, t("bc.eta", { time: eta(t, b.eta_seconds) })));
        parts.push(asking ? cancelQuestion(b) : h("div", { class: "row" },
          h("button", { type: "button", class: "danger", id: "bc-cancel",
            onclick: () => { asking = true; draw(b); card.querySelector("#bc-cancel-yes").focus(); } },
          t("bc.cancel"))));
      } else {
        parts.push(report(b));
        parts.push(h("div", { class: "row" }, h("button", { type: "button", class: "primary", id: "bc-new",
          onclick: () => compose() }, t("bc.new"))));
      }
      replace(card, parts);
    };
    const cancelQuestion = (b) => h("div", { role: "group", "aria-label": t("bc.cancel") },
      h("p", {}, t("bc.cancel.sure")),
      h("div", { class: "row" },
        h("button", { type: "button", class: "danger", id: "bc-cancel-yes", onclick: async (e) => {
          e.target.disabled = true;
          try {
            const answer = await cancelAction.post(`api/broadcasts/${b.id}/cancel`, {});
            asking = false;
            settle(answer.broadcast);
          } catch (failure) {
            ctx.toast(failure.message);
            e.target.disabled = false;
          }
        } }, t("bc.cancel.yes")),
        h("button", { type: "button", onclick: () => { asking = false; draw(b); } }, t("bc.cancel.no"))));
    const settle = (b) => {
      draw(b);
      if (b.state === "sending") later(poll, POLL_MS);
      else api.get("api/broadcasts", { limit: 20 }).then((r) => renderPast(r.broadcasts), () => {});
    };
    const poll = async () => {
      try {
        settle((await api.get(`api/broadcasts/${broadcast.id}`)).broadcast);
      } catch (failure) {
        if (!failure.refusal) later(poll, POLL_MS * 3);
      }
    };
    replace(work, card);
    settle(broadcast);
  }

  function report(b) {
    const { tally } = b;
    return h("div", { id: "bc-report" },
      h("p", {}, t("bc.report", {
        recipients: tally.recipients, sent: tally.sent, failed: tally.failed,
        blocked: tally.blocked, gone: tally.gone,
      })),
      tally.unknown ? h("p", { class: "hint" }, t("bc.report.unknown", { n: tally.unknown })) : null,
      b.state === "cancelled" && tally.left ? h("p", { class: "hint" }, t("bc.report.cancelled", { n: tally.left })) : null);
  }

  // -- past ------------------------------------------------------------------------------
  function renderPast(broadcasts) {
    if (!broadcasts.length) {
      replace(history, section(t("bc.past"), h("p", { class: "hint" }, t("bc.past.none"))));
      return;
    }
    const rows = broadcasts.map((b) => h("tr", { dataset: { broadcast: b.id } },
      h("td", { class: "num" }, `#${b.id}`),
      h("td", {}, ctx.fmt.short(b.created_at)),
      h("td", {}, segmentLabel(segments, b.segment)),
      h("td", { class: "num" }, `${b.tally.sent} / ${b.tally.failed + b.tally.unknown + b.tally.gone} / ${b.tally.blocked}`),
      h("td", {}, stateBadge(t, b.state))));
    replace(history, section(t("bc.past"),
      h("div", { class: "table-wrap" }, h("table", { id: "past-broadcasts" },
        h("thead", {}, h("tr", {},
          ["bc.col.id", "bc.col.when", "bc.col.who", "bc.col.result", "bc.col.state"].map((k) =>
            h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, rows)))));
  }

  return () => { for (const timer of timers) clearTimeout(timer); timers.clear(); };
}
