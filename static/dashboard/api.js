// The REST client: the session cookie authenticates, the CSRF token goes in X-CSRFToken on every unsafe method
// (DRF's SessionAuthentication enforces it), and errors come back as ApiError with the server's JSON body.

const config = JSON.parse(document.getElementById("page-config").textContent);

export class ApiError extends Error {
  constructor(status, body) {
    super(describeError(body, status));
    this.status = status;
    this.body = body;
  }
}

// DRF answers {"detail": "..."} or {"field": ["message", ...]}; turn either into one readable sentence.
export function describeError(body, status) {
  if (body && typeof body === "object") {
    if (typeof body.detail === "string") return body.detail;
    const parts = [];
    for (const [field, messages] of Object.entries(body)) {
      const text = Array.isArray(messages) ? messages.join(" ") : String(messages);
      parts.push(field === "non_field_errors" ? text : `${field.replace(/_/g, " ")}: ${text}`);
    }
    if (parts.length) return parts.join(" ");
  }
  if (status === 0) return "The server cannot be reached. Check your connection and try again.";
  return `The server answered ${status}. Try again.`;
}

function csrfToken() {
  // The cookie first: it follows a token rotation made by another tab; the page's meta tag is the fallback.
  const name = config.csrfCookieName || "csrftoken";
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return document.querySelector('meta[name="csrf-token"]')?.content || "";
}

export function redirectToLogin() {
  const next = encodeURIComponent(window.location.pathname + window.location.hash);
  window.location.assign(`${config.loginUrl}?next=${next}`);
}

export async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) {
    // The session ended (signed out in another tab, or expired): the page cannot do anything without one.
    redirectToLogin();
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const api = {
  get: (path) => request("GET", path),
  post: (path, body = {}) => request("POST", path, body),
  patch: (path, body) => request("PATCH", path, body),
  put: (path, body) => request("PUT", path, body),
  delete: (path) => request("DELETE", path),
};

// Every list is paginated; follow `next` to the end. The server builds `next` as an absolute URL from the
// request's host, which behind a proxy may name another scheme, so only its path and query are kept.
export async function getAll(path) {
  const results = [];
  let url = path;
  while (url) {
    const page = await api.get(url);
    results.push(...page.results);
    if (!page.next) break;
    const next = new URL(page.next, window.location.href);
    url = next.pathname + next.search;
  }
  return results;
}

export function pageConfig() {
  return config;
}
