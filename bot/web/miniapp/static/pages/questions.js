// 질문함: open questions with an answer box each (the first answer wins, as in chat), and the
// answered ones with who answered.

import { field, h, replace } from "../dom.js";

export async function render(view, ctx) {
  const { t, api, fmt } = ctx;
  let showing = "open";
  const toggle = h("div", { class: "segmented", role: "group", "aria-label": t("tab.questions") });
  const listBox = h("div", { id: "question-list" });
  replace(view, toggle, listBox);
  await draw();

  async function draw() {
    replace(toggle, ["open", "answered"].map((which) => h("button", {
      type: "button", "aria-pressed": String(which === showing), id: `q-show-${which}`,
      onclick: () => { showing = which; draw(); },
    }, t(`q.${which}`))));
    const { questions, open_count: openCount } = await api.get("api/questions", { state: showing });
    toggle.firstChild.textContent = `${t("q.open")} · ${fmt.number(openCount)}`;
    replace(listBox, questions.length
      ? h("section", { class: "card", "aria-labelledby": `q-show-${showing}` },
          h("ul", { class: "list" }, questions.map(showing === "open" ? openItem : answeredItem)))
      : h("p", { class: "card hint" }, t(`q.none.${showing}`)));
  }

  function asker(q) {
    const parts = [q.asker.vms_id_masked || null, t(`lang.${q.asker.language}`)].filter(Boolean);
    return parts.length ? h("div", { class: "meta" }, `${t("q.asker")}: ${parts.join(" · ")}`) : null;
  }

  function openItem(q) {
    const answer = h("textarea", { rows: 3, id: `answer-${q.id}` });
    const send = h("button", { type: "button", class: "primary", dataset: { answer: q.id } }, t("q.answer.send"));
    const status = h("p", { role: "status" });
    const act = api.action();
    send.addEventListener("click", async () => {
      send.disabled = true;
      status.className = "";
      try {
        await act.post(`api/questions/${q.id}/answer`, { text: answer.value });
        ctx.toast(t("q.answer.sent"));
        await draw();
      } catch (failure) {
        status.className = "error";
        status.textContent = failure.message;
        send.disabled = false;
        if (failure.code === "already_answered" || failure.code === "expired") await draw();
      }
    });
    return h("li", { dataset: { question: q.id } },
      h("div", { class: "row" }, h("strong", { class: "grow" }, t("q.number", { id: q.id })),
        h("span", { class: "meta" }, fmt.when(q.created_at))),
      asker(q),
      q.text ? h("p", { class: "question-text" }, q.text) : h("p", { class: "hint" }, t("q.text_gone")),
      q.expires_at ? h("p", { class: "meta" }, t("q.expires", { when: fmt.when(q.expires_at) })) : null,
      field(t("q.answer.label", { id: q.id }), answer),
      status,
      h("div", { class: "row" }, send));
  }

  function answeredItem(q) {
    const by = q.answered_by;
    let line;
    if (q.state === "expired") line = t("q.state.expired");
    else if (by && by.me) line = t("q.answered_by_me", { when: fmt.when(q.answered_at) });
    else {
      const who = by ? by.name || (by.id === null ? t("someone_forgot") : t("someone")) : t("someone");
      line = t("q.answered_by", { who, when: fmt.when(q.answered_at) });
    }
    return h("li", { dataset: { question: q.id } },
      h("div", { class: "row" }, h("strong", { class: "grow" }, t("q.number", { id: q.id })),
        h("span", { class: "meta" }, fmt.when(q.created_at))),
      q.text ? h("p", { class: "question-text" }, q.text) : null,
      h("p", { class: "answered-by" }, line));
  }
}
