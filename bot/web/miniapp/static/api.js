// The JSON API (bot/web/miniapp/openapi.yaml): every call carries the signed initData in
// `Authorization: tma …`; every state change is a POST with a server-issued Idempotency-Key.

// The server's sentences come from the chat's catalogs, which are Telegram HTML ("&lt;b&gt;",
// "<b>…</b>"): shown here as the plain text a chat would show. DOMParser runs no script.
export function plain(html) {
  if (!html || !/[<&]/.test(html)) return html || "";
  return new DOMParser().parseFromString(html, "text/html").body.textContent || "";
}

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(plain(error.message) || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "internal";
    this.detail = error.detail || {};
  }

  get refusal() {
    return this.status === 401 || this.status === 403;
  }
}

export class Api {
  constructor(initData, onRefusal) {
    this.initData = initData;
    this.onRefusal = onRefusal;
  }

  async request(method, path, { query, body, key } = {}) {
    const url = new URL(path, document.baseURI);
    for (const [name, value] of Object.entries(query || {})) {
      if (value !== null && value !== undefined && value !== "") url.searchParams.set(name, value);
    }
    const headers = { Authorization: `tma ${this.initData}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new ApiError(response.status, data);
      if (error.refusal) this.onRefusal(error);
      throw error;
    }
    return data;
  }

  get(path, query) {
    return this.request("GET", path, { query });
  }

  // One user action that changes something. Its key is kept until the server has done the
  // work: a refusal of the input (422) leaves the key unused, so the fixed input goes with the
  // same key; a double click or a retry sends the same key and changes nothing twice.
  action() {
    let key = null;
    return {
      post: async (path, body = {}, givenKey = null) => {
        if (!givenKey && !key) key = (await this.get("api/nonce")).key;
        const result = await this.request("POST", path, { body, key: givenKey || key });
        key = null;
        return result;
      },
    };
  }
}
