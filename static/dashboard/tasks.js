// Task vocabulary and the one way the page changes a task: PATCH with the version it was looking at.

import { api, ApiError, pageConfig } from "./api.js";

const config = pageConfig();
export const STATUS_LABELS = config.statuses; // {todo: "To do", ...}, from the model's choices
export const PRIORITY_LABELS = config.priorities;
export const STATUSES = Object.keys(STATUS_LABELS);
const PRIORITY_RANK = { high: 0, medium: 1, low: 2 };

// Order within a column: most urgent first, then the nearest deadline, then the newest.
export function compareTasks(a, b) {
  const byPriority = (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9);
  if (byPriority) return byPriority;
  const dueA = a.due_at ? Date.parse(a.due_at) : Infinity;
  const dueB = b.due_at ? Date.parse(b.due_at) : Infinity;
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  return b.id - a.id;
}

// Frames and HTTP answers can arrive in either order; `version` grows with every change, so an older copy never
// overwrites a newer one. A system write (the priority suggestion) keeps the version but moves `updated_at`: at equal
// versions the later `updated_at` wins, so the creator's own POST answer, overtaken by the suggestion's frame, cannot
// wipe the suggestion.
export function isStale(incoming, known) {
  if (!known) return false;
  if (incoming.version !== known.version) return incoming.version < known.version;
  return Date.parse(incoming.updated_at) < Date.parse(known.updated_at);
}

export function isOverdue(task) {
  return Boolean(task.due_at) && task.status !== "done" && Date.parse(task.due_at) < Date.now();
}

// Returns {task, conflict}: on 409 the server's current task and its message, so callers show what is true now.
export async function patchTask(task, changes) {
  try {
    const updated = await api.patch(`/api/tasks/${task.id}/`, { ...changes, version: task.version });
    return { task: updated, conflict: null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && error.body?.current) {
      return { task: error.body.current, conflict: error.body.detail || "The task changed." };
    }
    throw error;
  }
}
