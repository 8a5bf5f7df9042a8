// A small element builder: h("button", {class: "primary", onclick}, "보내기").
// Text always goes in as text nodes; the only HTML ever inserted is the server's rendered
// preview (see broadcast page), which the server builds from escaped text.

// Set as properties: a textarea's value and a box's checked state are not attributes.
const PROPERTIES = new Set(["value", "checked", "selected", "disabled", "hidden"]);

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      node.className = value;
    } else if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (PROPERTIES.has(key) || (key in node && typeof value !== "string")) {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? "" : value);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

let uid = 0;
export function id(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled field: the label is a real <label for>, so tapping it focuses the input.
export function field(labelText, control, hint) {
  if (!control.id) control.id = id("f");
  const hintNode = hint ? h("p", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, labelText), control, hintNode);
}

export function section(title, ...children) {
  const headingId = id("s");
  return h(
    "section",
    { class: "card", "aria-labelledby": headingId },
    h("h2", { id: headingId }, title),
    ...children,
  );
}

export function formatter(lang, tz) {
  const locale = lang === "en" ? "en-GB" : "ko-KR";
  const full = new Intl.DateTimeFormat(locale, {
    timeZone: tz, year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit",
  });
  const short = new Intl.DateTimeFormat(locale, {
    timeZone: tz, month: "long", day: "numeric", hour: "numeric", minute: "2-digit",
  });
  const day = new Intl.DateTimeFormat(locale, { timeZone: tz, month: "numeric", day: "numeric" });
  const number = new Intl.NumberFormat(locale);
  return {
    when: (iso) => (iso ? full.format(new Date(iso)) : ""),
    short: (iso) => (iso ? short.format(new Date(iso)) : ""),
    day: (isoDate) => day.format(new Date(`${isoDate}T12:00:00Z`)),
    number: (n) => number.format(n),
  };
}
