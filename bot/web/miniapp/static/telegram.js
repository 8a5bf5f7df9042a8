// What Telegram hands the page: the signed initData, the user, the theme.
// telegram-web-app.js is not loaded (it is not vendored here); when the page runs inside a
// client that injected it, window.Telegram.WebApp is used, otherwise the launch fragment
// Telegram appends to the URL (#tgWebAppData=…&tgWebAppThemeParams=…) is read the same way
// that script reads it.

// The fragment may name a page before Telegram's parameters: the bot's buttons open
// WEB_URL#broadcast, and Telegram appends "&tgWebAppData=…" (or "?tgWebAppData=…") to it.
function fragment() {
  const raw = location.hash.replace(/^#/, "");
  const cut = raw.search(/[?&]/);
  const head = cut < 0 ? raw : raw.slice(0, cut);
  if (head.includes("=")) return { page: "", params: new URLSearchParams(raw) };
  return { page: decodeURIComponent(head), params: new URLSearchParams(cut < 0 ? "" : raw.slice(cut + 1)) };
}

function parseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// Read once: the fragment is then cleared from the address bar so the signed data does not
// sit in the browser's history; a reload inside the same tab still finds it.
function launchParams() {
  const webApp = window.Telegram && window.Telegram.WebApp;
  if (webApp && webApp.initData) {
    return {
      initData: webApp.initData,
      theme: webApp.themeParams || {},
      page: fragment().page,
      webApp,
    };
  }
  const { page, params } = fragment();
  let initData = params.get("tgWebAppData") || "";
  let theme = parseJson(params.get("tgWebAppThemeParams")) || {};
  if (initData) {
    sessionStorage.setItem("tgWebAppData", initData);
    sessionStorage.setItem("tgWebAppThemeParams", JSON.stringify(theme));
    history.replaceState(null, "", location.pathname + location.search);
  } else {
    initData = sessionStorage.getItem("tgWebAppData") || "";
    theme = parseJson(sessionStorage.getItem("tgWebAppThemeParams")) || {};
  }
  return { initData, theme, page, webApp: null };
}

function userOf(initData) {
  return parseJson(new URLSearchParams(initData).get("user")) || {};
}

// Telegram's own rule (telegram-web-app.js): dark when the background is dark.
function isDark(color) {
  const match = /^#?([0-9a-f]{6})$/i.exec(color || "");
  if (!match) return window.matchMedia("(prefers-color-scheme: dark)").matches;
  const n = parseInt(match[1], 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  return Math.sqrt(0.299 * r * r + 0.587 * g * g + 0.114 * b * b) < 120;
}

export function applyTheme(theme) {
  const root = document.documentElement;
  for (const [key, value] of Object.entries(theme)) {
    if (typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value)) {
      root.style.setProperty(`--tg-theme-${key.replaceAll("_", "-")}`, value);
    }
  }
  const dark = theme.bg_color ? isDark(theme.bg_color) : isDark(null);
  root.dataset.colorScheme = dark ? "dark" : "light";
  root.style.colorScheme = dark ? "dark" : "light";
}

export function telegram() {
  const { initData, theme, page, webApp } = launchParams();
  const user = webApp && webApp.initDataUnsafe && webApp.initDataUnsafe.user
    ? webApp.initDataUnsafe.user
    : userOf(initData);
  if (webApp) {
    webApp.ready();
    webApp.expand();
    webApp.onEvent("themeChanged", () => applyTheme(webApp.themeParams || {}));
  }
  return { initData, theme, user, page, webApp };
}
