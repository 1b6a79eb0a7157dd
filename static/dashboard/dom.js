// DOM helpers. Every piece of user text reaches the page as a text node or an attribute value, never as HTML,
// so a task titled "<img onerror=...>" shows up as exactly those characters.

export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function show(node, visible = true) {
  node.hidden = !visible;
  return node;
}

export function setMessage(node, text) {
  node.textContent = text || "";
  node.hidden = !text;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : dateTimeFormat.format(date);
}

// "3 h", "2 d": the distance to a deadline, short enough for a card.
export function shortDuration(ms) {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.round(hours / 24);
  if (days < 365) return `${days} d`;
  return `${Math.round(days / 365)} y`;
}

// A deadline in the browser's time zone with how far it is: "Due Mar 1, 2030, 11:00 PM (in 3 h)" or
// "(overdue 2 d)". `overdue` is the caller's: a done task past its date is not overdue.
export function dueText(iso, { overdue = false, now = Date.now() } = {}) {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const distance = shortDuration(at - now);
  const relative = overdue ? `overdue ${distance}` : at >= now ? `in ${distance}` : `${distance} ago`;
  return `Due ${formatDateTime(iso)} (${relative})`;
}

export function timeZoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
}

const pad = (n) => String(n).padStart(2, "0");

// <input type="datetime-local"> speaks the user's wall-clock time without a zone; the API wants an instant.
export function toLocalInputValue(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// "2026-12-01T09:00" typed in Paris becomes "2026-12-01T08:00:00.000Z": a date-time string without an offset is
// read as local time by the Date constructor, and toISOString() always writes UTC with its "Z".
export function fromLocalInputValue(value) {
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error("That date is not valid.");
  return date.toISOString();
}

let toastTimer = null;

export function toast(message, kind = "info") {
  const node = document.getElementById("toast");
  // A modal dialog sits in the top layer, above any z-index: inside the open dialog the toast shows above it.
  const host = document.querySelector("dialog[open]") || document.body;
  if (node.parentElement !== host) host.append(node);
  node.textContent = message;
  node.dataset.kind = kind;
  node.classList.add("visible");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => node.classList.remove("visible"), 5000);
}

// Replace a container's content while keeping keyboard focus on the "same" control, found by the keys of its
// closest [data-key] ancestor and its data-role: live updates must not throw a keyboard user back to the top.
export function preserveFocus(container, rebuild) {
  const active = document.activeElement;
  const keyed = active && container.contains(active) ? active.closest("[data-key]") : null;
  const key = keyed?.dataset.key;
  const role = active?.dataset.role;
  rebuild();
  if (key === undefined) return;
  const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
  const target = again && (role ? again.querySelector(`[data-role="${CSS.escape(role)}"]`) : again);
  if (target) target.focus();
}
