// A task's history (GET /api/tasks/{id}/activity/, oldest first), told in words. Changes hold JSON values:
// user ids for the assignee, ISO strings for timestamps, sorted label ids for labels (README, "API notes"); a
// comment's entries hold only its id, so they are told by their kind.

import { getAll } from "./api.js";
import { clear, formatDateTime, h } from "./dom.js";
import { PRIORITY_LABELS, STATUS_LABELS } from "./tasks.js";

const FIELD_NAMES = { title: "title", description: "description", status: "status", priority: "priority", due_at: "due date", assignee: "assignee", labels: "labels" };
const VERBS = { created: "created the task", commented: "commented", comment_edited: "edited a comment", comment_deleted: "deleted a comment" };
const COMMENT_KINDS = new Set(["commented", "comment_edited", "comment_deleted"]);

export function loadActivity(taskId) {
  return getAll(`/api/tasks/${taskId}/activity/?page_size=200`);
}

function shorten(text, limit = 60) {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function valueText(field, value, { username, labelName }) {
  if (field === "labels") {
    const ids = Array.isArray(value) ? value : [];
    return ids.length ? ids.map((id) => labelName(id) || `label #${id}`).join(", ") : "none";
  }
  if (value === null || value === undefined || value === "") return "none";
  if (field === "status") return STATUS_LABELS[value] || value;
  if (field === "priority") return PRIORITY_LABELS[value] || value;
  if (field === "due_at") return formatDateTime(value);
  if (field === "assignee") return username(value) || `user #${value}`;
  return `“${shorten(String(value))}”`;
}

function changeText(kind, field, [before, after], names) {
  const name = FIELD_NAMES[field] || field;
  if (kind === "created") return `${name}: ${valueText(field, after, names)}`;
  if (field === "description") return after ? "edited the description" : "cleared the description";
  return `${name}: ${valueText(field, before, names)} → ${valueText(field, after, names)}`;
}

export function renderActivity(list, entries, { username, labelName = () => undefined }) {
  const names = { username, labelName };
  const items = entries.map((entry) => {
    const who = entry.actor ? entry.actor.username : "TaskFlow";
    const verb = VERBS[entry.kind] || "changed";
    const changes = COMMENT_KINDS.has(entry.kind)
      ? []
      : Object.entries(entry.changes || {}).map(([field, pair]) => h("li", {}, changeText(entry.kind, field, pair, names)));
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
