// Finding work on the board: a search box, filter chips (assignee, "my tasks", priority, label, due) and the URL's query
// string that holds them, so a view can be shared as a link and survives a reload (the project stays in the hash).
//
// The server does the narrowing (`search` also covers what the API adds to it, comments included). Due buckets are
// computed here, in the browser's time zone, and sent as due_after/due_before (or no_due=true). Labels are any-of:
// each pressed label chip adds a `label=<id>` to the URL and to the API's query.

import { h } from "./dom.js";

const KEYS = ["q", "assignee", "priority", "label", "due"];
const same = (a, b) => (Array.isArray(a) ? a.length === b.length && a.every((item, i) => item === b[i]) : a === b);
const SEARCH_DELAY_MS = 250;

export class FindWork {
  constructor({ form, me, onChange }) {
    this.form = form;
    this.labelChips = form.querySelector('[data-role="label-chips"]');
    this.labels = [];
    this.me = me;
    this.onChange = onChange;
    this.state = this.fromUrl();
    this.timer = null;
    this.search = form.elements.q;
    this.assignee = form.elements.assignee;
    this.search.value = this.state.q;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.set({ q: this.search.value.trim() });
    });
    this.search.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.set({ q: this.search.value.trim() }), SEARCH_DELAY_MS);
    });
    this.assignee.addEventListener("change", () => this.set({ assignee: this.assignee.value }));
    for (const chip of form.querySelectorAll("[data-filter]")) {
      chip.addEventListener("click", () => {
        const { filter, value } = chip.dataset;
        this.set({ [filter]: this.state[filter] === value ? "" : value });
      });
    }
    form.querySelector('[data-role="clear"]').addEventListener("click", () => {
      this.search.value = "";
      this.set({ q: "", assignee: "", priority: "", label: [], due: "" });
    });
    this.setMembers([]);
    this.setLabels([]);
    this.renderChips();
  }

  fromUrl() {
    const query = new URLSearchParams(window.location.search);
    const state = Object.fromEntries(KEYS.map((key) => [key, (query.get(key) || "").trim()]));
    state.label = [...new Set(query.getAll("label").filter((id) => /^\d+$/.test(id)))].sort((a, b) => a - b);
    return state;
  }

  get active() {
    return KEYS.some((key) => this.state[key].length);
  }

  set(changes) {
    clearTimeout(this.timer);
    const next = { ...this.state, ...changes };
    if (KEYS.every((key) => same(next[key], this.state[key]))) return;
    this.state = next;
    this.writeUrl();
    this.renderChips();
    this.onChange();
  }

  writeUrl() {
    const query = new URLSearchParams();
    for (const key of KEYS) {
      if (key === "label") for (const id of this.state.label) query.append("label", id);
      else if (this.state[key]) query.set(key, this.state[key]);
    }
    const search = query.toString();
    const url = `${window.location.pathname}${search ? `?${search}` : ""}${window.location.hash}`;
    history.replaceState(null, "", url);
  }

  renderChips() {
    for (const chip of this.form.querySelectorAll("[data-filter]")) {
      chip.setAttribute("aria-pressed", String(this.state[chip.dataset.filter] === chip.dataset.value));
    }
    this.assignee.value = this.state.assignee;
    for (const chip of this.labelChips.querySelectorAll("[data-label-id]")) {
      chip.setAttribute("aria-pressed", String(this.state.label.includes(chip.dataset.labelId)));
    }
    this.form.querySelector('[data-role="clear"]').hidden = !this.active;
  }

  // One chip per label of the project (a label in the URL that the project does not have, or not yet, shows by id).
  setLabels(labels) {
    this.labels = labels;
    const known = new Set(labels.map((label) => String(label.id)));
    const chips = labels.map((label) => [String(label.id), label.name, label.color]);
    for (const id of this.state.label) if (!known.has(id)) chips.push([id, `Label ${id}`, null]);
    this.labelChips.replaceChildren(
      ...chips.map(([id, name, color]) => {
        const chip = h(
          "button",
          { type: "button", class: "chip label-filter", "aria-pressed": "false", dataset: { labelId: id, color } },
          name,
        );
        if (color) chip.style.setProperty("--chip", color); // CSSOM, not a style attribute: the CSP allows it
        chip.addEventListener("click", () => this.toggleLabel(id));
        return chip;
      }),
    );
    this.labelChips.hidden = !chips.length;
    this.renderChips();
  }

  toggleLabel(id) {
    const chosen = this.state.label.includes(id) ? this.state.label.filter((item) => item !== id) : [...this.state.label, id];
    this.set({ label: chosen.sort((a, b) => a - b) });
  }

  setMembers(members) {
    const options = [h("option", { value: "" }, "Anyone"), h("option", { value: "me" }, "Me")];
    for (const member of [...members].sort((a, b) => a.user.username.localeCompare(b.user.username))) {
      if (member.user.id !== this.me.id) options.push(h("option", { value: String(member.user.id) }, member.user.username));
    }
    const wanted = this.state.assignee;
    if (wanted && !options.some((option) => option.value === wanted)) {
      options.push(h("option", { value: wanted }, /^\d+$/.test(wanted) ? `User ${wanted}` : wanted));
    }
    this.assignee.replaceChildren(...options);
    this.assignee.value = wanted;
  }

  // The API's query parameters of this view.
  params(now = new Date()) {
    const params = new URLSearchParams();
    const { q, assignee, priority, label, due } = this.state;
    if (q) params.set("search", q);
    if (assignee) params.set("assignee", assignee);
    if (priority) params.set("priority", priority);
    for (const id of label) params.append("label", id);
    const window_ = dueWindow(due, now);
    if (window_?.none) params.set("no_due", "true");
    if (window_?.after) params.set("due_after", window_.after.toISOString());
    if (window_?.before) params.set("due_before", window_.before.toISOString());
    return params;
  }

  // Whether a task that arrives live belongs to this view. A task already shown stays for the search: the server
  // may have matched it on a comment, which the page cannot see.
  matches(task, known, now = new Date()) {
    const { q, assignee, priority, label, due } = this.state;
    if (label.length && !(task.labels || []).some((item) => label.includes(String(item.id)))) return false;
    if (assignee === "me" && task.assignee?.id !== this.me.id) return false;
    if (assignee && assignee !== "me" && String(task.assignee?.id ?? "") !== assignee) return false;
    if (priority && task.priority !== priority) return false;
    const window_ = dueWindow(due, now);
    if (window_) {
      const at = task.due_at ? Date.parse(task.due_at) : null;
      if (window_.none && at !== null) return false;
      if (!window_.none && at === null) return false;
      if (window_.after && at <= window_.after.getTime()) return false;
      if (window_.before && at >= window_.before.getTime()) return false;
    }
    if (q && !known) {
      const text = `${task.title}\n${task.description}`.toLowerCase();
      if (!q.toLowerCase().split(/\s+/).every((term) => text.includes(term))) return false;
    }
    return true;
  }

  // A done task is never overdue.
  skip(status) {
    return this.state.due === "overdue" && status === "done";
  }

  focusSearch() {
    this.search.focus();
    this.search.select();
  }
}

// The due chips as a window of instants in the browser's own time zone; `after` is exclusive (due_after is "later
// than"), so the window starts a millisecond before midnight.
export function dueWindow(due, now = new Date()) {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const days = (n) => new Date(midnight.getFullYear(), midnight.getMonth(), midnight.getDate() + n);
  const justBefore = (date) => new Date(date.getTime() - 1);
  switch (due) {
    case "overdue":
      return { before: now };
    case "today":
      return { after: justBefore(midnight), before: days(1) };
    case "week": {
      const sinceMonday = (midnight.getDay() + 6) % 7; // Monday starts the week
      return { after: justBefore(days(-sinceMonday)), before: days(7 - sinceMonday) };
    }
    case "none":
      return { none: true };
    default:
      return null;
  }
}
