// The board of one project: four columns by status. It holds the tasks of the current view (the project, narrowed by
// the search and filters) by id and redraws from them, so an HTTP answer, a live frame and a refetch all go through
// the same upsert/remove and cannot disagree.
//
// Each column is read as its own server-ordered, filtered page (50 cards), with "Show more" for the rest: a
// 2,000-task project costs four small reads, not forty, and the page draws a few hundred cards, not thousands.

import { api } from "./api.js";
import { BoardDrag } from "./boarddrag.js";
import { cardDecorations } from "./collab.js";
import { dueText, h, preserveFocus, toast } from "./dom.js";
import { compareTasks, isOverdue, isStale, patchTask, PRIORITY_LABELS, STATUS_LABELS, STATUSES } from "./tasks.js";

const PAGE_SIZE = 50;
const SKELETONS = 3;
// The server's column order, the same as compareTasks: most urgent first, then the nearest deadline, newest last.
const ORDERING = "-priority,due_at";

export class Board {
  constructor(root, { onOpen, onUpsert, onRemove, announce }) {
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
    this.loading = false;
    this.remaining = {}; // per status: tasks of this view on the server beyond the loaded pages
    this.nextPage = {}; // per status: the path of the next page, or null
    this.pending = new Map(); // id -> status being saved (a drop or a status change), drawn in its new column
    this.view = { params: () => new URLSearchParams(), matches: () => true, skip: () => false };
    this.drag = new BoardDrag(this, { announce });
    for (const column of this.columns()) {
      column.querySelector('[data-role="more"]').addEventListener("click", () => this.loadMore(column.dataset.status));
    }
  }

  columns() {
    return this.root.querySelectorAll(".column");
  }

  // The view: `params()` the API filters of the search and chips, `matches(task, known)` whether a task that
  // arrives live belongs in it, `skip(status)` a column the view leaves empty (done tasks are never overdue).
  setView(view) {
    this.view = view;
  }

  load(projectId, tasks) {
    if (projectId !== this.projectId) this.deleted.clear();
    this.projectId = projectId;
    this.tasks = new Map(tasks.map((task) => [task.id, task]));
    this.remaining = {};
    this.nextPage = {};
    this.render();
  }

  // A full read of the view (deletions are not in `updated_after`, so after a reconnect the board is read again).
  // Frames that arrive while the read is in flight may be newer than what it returns: the ids they touch are
  // tracked and the newer copy, or the deletion, wins.
  async refetch(projectId) {
    if (projectId !== this.projectId) this.load(projectId, []);
    const token = ++this.loadToken;
    const touched = new Set();
    this.touched = touched;
    this.loading = true;
    this.root.setAttribute("aria-busy", "true");
    if (!this.tasks.size) this.render(); // skeletons, not "0 · Nothing here"
    let pages;
    try {
      pages = await Promise.all(STATUSES.map((status) => this.firstPage(projectId, status)));
    } finally {
      if (this.touched === touched) this.touched = null;
      if (token === this.loadToken) {
        this.loading = false;
        this.root.removeAttribute("aria-busy");
      }
    }
    if (token !== this.loadToken || projectId !== this.projectId) return; // superseded by a later read
    const merged = new Map();
    STATUSES.forEach((status, index) => {
      const page = pages[index];
      for (const task of page.results) merged.set(task.id, task);
      this.remaining[status] = Math.max(0, (page.count ?? page.results.length) - page.results.length);
      this.nextPage[status] = pathOf(page.next);
    });
    for (const id of touched) {
      const live = this.tasks.get(id);
      const fetched = merged.get(id);
      if (!live) merged.delete(id);
      else if (!fetched || isStale(fetched, live)) merged.set(id, live);
    }
    for (const id of this.deleted) merged.delete(id);
    this.tasks = merged;
    this.render();
    performance.mark("taskflow:board-ready"); // read by bench/board.py
  }

  firstPage(projectId, status) {
    if (this.view.skip(status)) return Promise.resolve({ results: [], count: 0, next: null });
    const params = this.view.params();
    params.set("project", String(projectId));
    params.set("status", status);
    params.set("ordering", ORDERING);
    params.set("page_size", String(PAGE_SIZE));
    return api.get(`/api/tasks/?${params}`);
  }

  async loadMore(status) {
    const path = this.nextPage[status];
    if (!path) return;
    const projectId = this.projectId;
    const token = this.loadToken;
    const button = this.root.querySelector(`.column[data-status="${status}"] [data-role="more"]`);
    button.setAttribute("aria-busy", "true");
    try {
      const page = await api.get(path);
      if (token !== this.loadToken || projectId !== this.projectId) return;
      for (const task of page.results) {
        const known = this.tasks.get(task.id);
        if (!this.deleted.has(task.id) && !isStale(task, known) && !known) this.tasks.set(task.id, task);
      }
      this.remaining[status] = Math.max(0, (this.remaining[status] || 0) - page.results.length);
      this.nextPage[status] = pathOf(page.next);
      this.render([status]);
    } catch (error) {
      toast(`More cards could not be loaded: ${error.message}`, "error");
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  get(id) {
    return this.tasks.get(id);
  }

  // Returns the task as the board now holds it (the incoming one, or the newer copy it already had).
  upsert(task, { highlight = false } = {}) {
    if (task.project !== this.projectId || this.deleted.has(task.id)) return null;
    const known = this.tasks.get(task.id);
    if (isStale(task, known)) return known;
    this.touched?.add(task.id);
    if (!this.view.matches(task, known) || this.view.skip(task.status)) {
      // No longer (or never) part of this view: a change elsewhere must not pull it onto a filtered board.
      if (known) {
        this.tasks.delete(task.id);
        this.render([this.statusOf(known)]);
      }
      this.onUpsert(task);
      return task;
    }
    const before = known ? this.statusOf(known) : null;
    this.tasks.set(task.id, task);
    if (highlight) this.flash(task.id);
    this.render(before && before !== this.statusOf(task) ? [before, this.statusOf(task)] : [this.statusOf(task)]);
    this.onUpsert(task);
    return task;
  }

  remove(id) {
    this.deleted.add(id);
    this.touched?.add(id);
    const known = this.tasks.get(id);
    if (this.tasks.delete(id)) this.render([this.statusOf(known)]);
    this.onRemove(id);
  }

  flash(id) {
    this.fresh.add(id);
    setTimeout(() => {
      this.fresh.delete(id);
      this.root.querySelector(`[data-task-id="${id}"]`)?.classList.remove("fresh");
    }, 1500);
  }

  focusCard(id) {
    this.root.querySelector(`[data-task-id="${id}"] [data-role="open"]`)?.focus();
  }

  // Where a card is drawn: the column it is being moved to while that is saved or carried, else its status.
  statusOf(task) {
    return this.drag.carriedTo(task.id) ?? this.pending.get(task.id) ?? task.status;
  }

  render(statuses = STATUSES) {
    preserveFocus(this.root, () => {
      const wanted = new Set(statuses);
      const byStatus = Object.fromEntries(STATUSES.map((status) => [status, []]));
      for (const task of this.tasks.values()) {
        const status = this.statusOf(task);
        if (wanted.has(status)) (byStatus[status] ??= []).push(task);
      }
      for (const column of this.columns()) {
        const status = column.dataset.status;
        if (!wanted.has(status)) continue;
        const cards = column.querySelector('[data-role="cards"]');
        const tasks = byStatus[status].sort(compareTasks);
        const more = this.remaining[status] || 0;
        if (this.loading && !tasks.length) {
          cards.replaceChildren(...skeletons());
          column.querySelector('[data-role="count"]').textContent = "…";
        } else {
          cards.replaceChildren(...tasks.map((task) => this.card(task)));
          column.querySelector('[data-role="count"]').textContent = String(tasks.length + more);
        }
        cards.classList.toggle("loading", this.loading && !tasks.length);
        const button = column.querySelector('[data-role="more"]');
        button.hidden = !this.nextPage[status] || this.loading;
        button.textContent = `Show ${Math.min(more, PAGE_SIZE)} more`;
      }
    });
  }

  card(task) {
    const selectId = `card-status-${task.id}`;
    const shownStatus = this.statusOf(task);
    const status = h(
      "select",
      { id: selectId, "data-role": "status", class: "card-status" },
      STATUSES.map((value) => h("option", { value, selected: value === shownStatus }, STATUS_LABELS[value])),
    );
    this.bindStatusSelect(status, task.id);
    const due = task.due_at ? dueText(task.due_at, { overdue: isOverdue(task) }) : null;
    const meta = h(
      "div",
      { class: "card-meta" },
      h("span", { class: `badge priority-${task.priority}` }, PRIORITY_LABELS[task.priority] || task.priority),
      due
        ? h(
            "time",
            { class: isOverdue(task) ? "due overdue" : "due", datetime: task.due_at, "data-overdue": isOverdue(task) ? "1" : null },
            due,
          )
        : null,
      task.assignee ? h("span", { class: "assignee" }, `@${task.assignee.username}`) : null,
    );
    const classes = ["card"];
    if (this.fresh.has(task.id)) classes.push("fresh");
    if (this.drag.carriedTo(task.id) !== undefined) classes.push("carried");
    if (this.pending.has(task.id)) classes.push("saving");
    return h(
      "li",
      { class: classes.join(" "), dataset: { key: String(task.id), taskId: String(task.id) } },
      h(
        "div",
        { class: "card-top" },
        h(
          "button",
          { type: "button", id: `card-title-${task.id}`, class: "card-title", "data-role": "open", onclick: () => this.onOpen(task.id) },
          task.title,
        ),
        // Named "Move" and described by the card's title: a name holding the title would read like a second title.
        h(
          "button",
          {
            type: "button",
            class: "card-handle",
            "data-role": "move",
            "aria-label": "Move",
            "aria-describedby": `card-title-${task.id} board-move-help`,
            title: "Drag to another column, or press Space and use the arrow keys",
          },
          "⠿",
        ),
      ),
      meta,
      cardDecorations(task),
      h("label", { for: selectId, class: "visually-hidden" }, `Status of ${task.title}`),
      status,
    );
  }

  // A <select> fires `change` on every arrow key while it is closed. A pick with the mouse (or a programmatic one)
  // commits at once; a change made with the keyboard waits for Enter or for the focus to leave.
  bindStatusSelect(select, id) {
    let keyed = false;
    select.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && keyed) {
        event.preventDefault();
        keyed = false;
        this.move(id, select.value);
      } else if (["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"].includes(event.key)) {
        keyed = true;
      } else if (event.key.length === 1) {
        keyed = true; // type-ahead also changes the value
      }
    });
    select.addEventListener("change", () => {
      if (!keyed) this.move(id, select.value);
    });
    select.addEventListener("blur", () => {
      if (keyed) {
        keyed = false;
        this.move(id, select.value);
      }
    });
  }

  // Move a task to another column: drawn there at once, saved as a PATCH with the version it had; a 409 shows the
  // task as it now is, like the task panel's conflict notice.
  async move(id, target) {
    const task = this.tasks.get(id);
    if (!task || target === task.status || this.pending.has(id)) {
      this.render();
      return false;
    }
    this.pending.set(id, target);
    this.render([task.status, target]);
    let moved = false;
    try {
      const { task: stored, conflict } = await patchTask(task, { status: target });
      this.pending.delete(id);
      this.upsert(stored);
      moved = !conflict;
      if (conflict) toast(`"${stored.title}" was changed by someone else; the board shows the latest version.`, "warning");
    } catch (error) {
      this.pending.delete(id);
      if (error.status === 404) this.remove(id);
      toast(error.message, "error");
    }
    // Redraw even when nothing was applied, so the card and its select show the status the task really has.
    this.render();
    return moved;
  }
}

function skeletons() {
  return Array.from({ length: SKELETONS }, () =>
    h("li", { class: "card skeleton", "aria-hidden": "true" }, h("span", { class: "skeleton-line" }), h("span", { class: "skeleton-line short" })),
  );
}

// The server builds `next` as an absolute URL from the request's host, which behind a proxy may name another
// scheme: only its path and query are kept.
function pathOf(url) {
  if (!url) return null;
  const next = new URL(url, window.location.href);
  return next.pathname + next.search;
}
