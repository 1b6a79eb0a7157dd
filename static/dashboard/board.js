// The board of one project: four columns by status. It holds that project's tasks by id and redraws from them, so
// an HTTP answer, a live frame and a refetch all go through the same upsert/remove and cannot disagree.

import { cardDecorations } from "./collab.js";
import { formatDateTime, h, preserveFocus, toast } from "./dom.js";
import { compareTasks, isOverdue, isStale, patchTask, PRIORITY_LABELS, STATUS_LABELS, STATUSES } from "./tasks.js";

export class Board {
  constructor(root, { onOpen, onUpsert, onRemove }) {
    this.root = root;
    this.onOpen = onOpen;
    this.onUpsert = onUpsert;
    this.onRemove = onRemove;
    this.projectId = null;
    this.tasks = new Map();
    // Ids deleted while this board is shown: a late answer for a deleted task must not bring its card back.
    this.deleted = new Set();
    this.fresh = new Set();
    this.touched = null;
    this.loadToken = 0;
  }

  load(projectId, tasks) {
    if (projectId !== this.projectId) this.deleted.clear();
    this.projectId = projectId;
    this.tasks = new Map(tasks.map((task) => [task.id, task]));
    this.render();
  }

  // A full read of the project's tasks (deletions are not in `updated_after`, so after a reconnect the board is read
  // again). Frames that arrive while the read is in flight may be newer than what it returns: the ids they touch
  // are tracked and the newer copy, or the deletion, wins.
  async refetch(projectId, fetchTasks) {
    if (projectId !== this.projectId) this.load(projectId, []);
    const token = ++this.loadToken;
    const touched = new Set();
    this.touched = touched;
    this.root.setAttribute("aria-busy", "true");
    let tasks;
    try {
      tasks = await fetchTasks();
    } finally {
      if (this.touched === touched) this.touched = null;
      if (token === this.loadToken) this.root.removeAttribute("aria-busy");
    }
    if (token !== this.loadToken || projectId !== this.projectId) return; // superseded by a later read
    const merged = new Map(tasks.map((task) => [task.id, task]));
    for (const id of touched) {
      const live = this.tasks.get(id);
      const fetched = merged.get(id);
      if (!live) merged.delete(id);
      else if (!fetched || isStale(fetched, live)) merged.set(id, live);
    }
    for (const id of this.deleted) merged.delete(id);
    this.tasks = merged;
    this.render();
  }

  get(id) {
    return this.tasks.get(id);
  }

  // Returns the task as the board now holds it (the incoming one, or the newer copy it already had).
  upsert(task, { highlight = false } = {}) {
    if (task.project !== this.projectId || this.deleted.has(task.id)) return null;
    const known = this.tasks.get(task.id);
    if (isStale(task, known)) return known;
    this.tasks.set(task.id, task);
    this.touched?.add(task.id);
    if (highlight) this.flash(task.id);
    this.render();
    this.onUpsert(task);
    return task;
  }

  remove(id) {
    this.deleted.add(id);
    this.touched?.add(id);
    if (this.tasks.delete(id)) this.render();
    this.onRemove(id);
  }

  flash(id) {
    this.fresh.add(id);
    setTimeout(() => {
      this.fresh.delete(id);
      this.root.querySelector(`[data-task-id="${id}"]`)?.classList.remove("fresh");
    }, 1500);
  }

  render() {
    preserveFocus(this.root, () => {
      const byStatus = Object.fromEntries(STATUSES.map((status) => [status, []]));
      for (const task of this.tasks.values()) (byStatus[task.status] ??= []).push(task);
      for (const column of this.root.querySelectorAll(".column")) {
        const tasks = (byStatus[column.dataset.status] || []).sort(compareTasks);
        column.querySelector('[data-role="cards"]').replaceChildren(...tasks.map((task) => this.card(task)));
        column.querySelector('[data-role="count"]').textContent = String(tasks.length);
      }
    });
  }

  card(task) {
    const selectId = `card-status-${task.id}`;
    const status = h(
      "select",
      { id: selectId, "data-role": "status", class: "card-status", onchange: (event) => this.move(task.id, event.target) },
      STATUSES.map((value) => h("option", { value, selected: value === task.status }, STATUS_LABELS[value])),
    );
    const meta = h(
      "div",
      { class: "card-meta" },
      h("span", { class: `badge priority-${task.priority}` }, PRIORITY_LABELS[task.priority] || task.priority),
      task.due_at
        ? h("span", { class: isOverdue(task) ? "due overdue" : "due" }, `Due ${formatDateTime(task.due_at)}`)
        : null,
      task.assignee ? h("span", { class: "assignee" }, `@${task.assignee.username}`) : null,
    );
    return h(
      "li",
      {
        class: `card${this.fresh.has(task.id) ? " fresh" : ""}`,
        dataset: { key: String(task.id), taskId: String(task.id) },
      },
      h("button", { type: "button", class: "card-title", "data-role": "open", onclick: () => this.onOpen(task.id) }, task.title),
      meta,
      cardDecorations(task),
      h("label", { for: selectId, class: "visually-hidden" }, `Status of ${task.title}`),
      status,
    );
  }

  async move(id, select) {
    const task = this.tasks.get(id);
    if (!task || select.value === task.status) return;
    // Not disabled while saving: a disabled control drops keyboard focus, and the redraw could not give it back.
    select.setAttribute("aria-busy", "true");
    try {
      const { task: stored, conflict } = await patchTask(task, { status: select.value });
      this.upsert(stored);
      if (conflict) toast(`"${stored.title}" was changed by someone else; the board shows the latest version.`, "warning");
    } catch (error) {
      if (error.status === 404) this.remove(id);
      toast(error.message, "error");
    }
    // Redraw even when nothing was applied, so the select shows the status the task really has.
    this.render();
  }
}
