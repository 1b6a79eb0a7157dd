// A task's history (GET /api/tasks/{id}/activity/, oldest first), told in words. Changes hold JSON values:
// user ids for the assignee, ISO strings for timestamps (README, "API notes").

import { getAll } from "./api.js";
import { clear, formatDateTime, h } from "./dom.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "./tasks.js";

const FIELD_NAMES = { title: "title", description: "description", status: "status", priority: "priority", due_at: "due date", assignee: "assignee" };

export function loadActivity(taskId) {
  return getAll(`/api/tasks/${taskId}/activity/?page_size=200`);
}

function shorten(text, limit = 60) {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function valueText(field, value, username) {
  if (value === null || value === undefined || value === "") return "none";
  if (field === "status") return STATUS_LABELS[value] || value;
  if (field === "priority") return PRIORITY_LABELS[value] || value;
  if (field === "due_at") return formatDateTime(value);
  if (field === "assignee") return username(value) || `user #${value}`;
  return `“${shorten(String(value))}”`;
}

function changeText(kind, field, [before, after], username) {
  const name = FIELD_NAMES[field] || field;
  if (kind === "created") return `${name}: ${valueText(field, after, username)}`;
  if (field === "description") return after ? "edited the description" : "cleared the description";
  return `${name}: ${valueText(field, before, username)} → ${valueText(field, after, username)}`;
}

export function renderActivity(list, entries, { username }) {
  const items = entries.map((entry) => {
    const who = entry.actor ? entry.actor.username : "TaskFlow";
    const verb = entry.kind === "created" ? "created the task" : "changed";
    const changes = Object.entries(entry.changes || {}).map(([field, pair]) =>
      h("li", {}, changeText(entry.kind, field, pair, username)),
    );
    return h(
      "li",
      { class: "activity-entry" },
      h("div", {}, h("strong", {}, who), ` ${verb} `, h("time", { datetime: entry.created_at, class: "muted" }, formatDateTime(entry.created_at))),
      changes.length ? h("ul", { class: "activity-changes" }, changes) : null,
    );
  });
  if (!items.length) items.push(h("li", { class: "muted" }, "No history yet."));
  clear(list).append(...items);
}
