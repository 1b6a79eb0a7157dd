// Moving cards between columns. Pointer Events cover mouse, pen and touch alike (HTML5 drag and drop has no
// touch); the card's handle has `touch-action: none`, so on a phone it drags while the rest of the board scrolls.
// The keyboard way: focus a card's handle, Space (or Enter) picks it up, the arrow keys carry it across the
// columns, Space or Enter drops it, Escape puts it back; each step is announced to screen readers.

import { STATUS_LABELS, STATUSES } from "./tasks.js";

const DRAG_THRESHOLD_PX = 6;
const PREVIOUS = ["ArrowLeft", "ArrowUp"];
const NEXT = ["ArrowRight", "ArrowDown"];

export class BoardDrag {
  constructor(board, { announce = () => {} } = {}) {
    this.board = board;
    this.announce = announce;
    this.carry = null; // keyboard: {id, from, to}
    this.pointer = null; // pointer: {id, pointerId, x, y, started, target}
    const root = board.root;
    root.addEventListener("pointerdown", (event) => this.pointerDown(event));
    root.addEventListener("keydown", (event) => this.keyDown(event));
    window.addEventListener("pointermove", (event) => this.pointerMove(event));
    window.addEventListener("pointerup", (event) => this.pointerUp(event));
    window.addEventListener("pointercancel", (event) => this.pointerEnd(event, { drop: false }));
  }

  carriedTo(id) {
    return this.carry && this.carry.id === id ? this.carry.to : undefined;
  }

  // --- pointer ---

  pointerDown(event) {
    if (event.button !== 0 || this.pointer || this.carry) return;
    const card = event.target.closest(".card[data-task-id]");
    if (!card) return;
    const onHandle = Boolean(event.target.closest('[data-role="move"]'));
    // The handle drags with any pointer; a mouse may also drag the card by its body (not by its status select).
    if (!onHandle && (event.pointerType !== "mouse" || event.target.closest("select, input, textarea"))) return;
    if (onHandle) event.preventDefault(); // no text selection, no focus dance while dragging
    const id = Number(card.dataset.taskId);
    this.pointer = { id, pointerId: event.pointerId, x: event.clientX, y: event.clientY, started: false, target: null };
  }

  cardNode(id) {
    return this.board.root.querySelector(`.card[data-task-id="${id}"]`);
  }

  pointerMove(event) {
    const drag = this.pointer;
    if (!drag || event.pointerId !== drag.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.started) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
      drag.started = true;
      document.body.classList.add("is-dragging");
    }
    event.preventDefault();
    const card = this.cardNode(drag.id);
    if (card) {
      card.classList.add("dragging");
      // Coordinates cannot be a class: set from script, which a strict style-src CSP allows (CSSOM, not markup).
      card.style.transform = `translate(${dx}px, ${dy}px)`;
    }
    const column = this.columnAt(event.clientX, event.clientY, card);
    if (column !== drag.target) {
      drag.target?.classList.remove("drop-target");
      column?.classList.add("drop-target");
      drag.target = column;
    }
  }

  columnAt(x, y, card) {
    for (const node of document.elementsFromPoint(x, y)) {
      if (card && card.contains(node)) continue;
      const column = node.closest(".column");
      if (column && this.board.root.contains(column)) return column;
    }
    return null;
  }

  pointerUp(event) {
    this.pointerEnd(event, { drop: true });
  }

  pointerEnd(event, { drop }) {
    const drag = this.pointer;
    if (!drag || event.pointerId !== drag.pointerId) return;
    this.pointer = null;
    if (!drag.started) return; // a plain click
    document.body.classList.remove("is-dragging");
    const card = this.cardNode(drag.id);
    if (card) {
      card.classList.remove("dragging");
      card.style.transform = "";
    }
    drag.target?.classList.remove("drop-target");
    // The click that ends a drag must not open the task.
    // (A click, if one comes, is dispatched with the pointerup's own input event, before the timer runs.)
    window.addEventListener("click", stop, { capture: true, once: true });
    setTimeout(() => window.removeEventListener("click", stop, { capture: true }), 0);
    const status = drag.target?.dataset.status;
    if (drop && status) this.drop(drag.id, status);
  }

  // --- keyboard ---

  keyDown(event) {
    const handle = event.target.closest('[data-role="move"]');
    if (!handle) return;
    const id = Number(handle.closest(".card").dataset.taskId);
    const task = this.board.get(id);
    if (!task) return;
    const carrying = this.carry && this.carry.id === id;
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      if (carrying) this.keyDrop();
      else this.pickUp(task);
    } else if (carrying && (PREVIOUS.includes(event.key) || NEXT.includes(event.key))) {
      event.preventDefault();
      const step = NEXT.includes(event.key) ? 1 : -1;
      const index = Math.min(STATUSES.length - 1, Math.max(0, STATUSES.indexOf(this.carry.to) + step));
      this.carry.to = STATUSES[index];
      this.board.render();
      this.announce(`${task.title}: ${STATUS_LABELS[this.carry.to]}, column ${index + 1} of ${STATUSES.length}.`);
    } else if (carrying && event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation(); // Escape here cancels the move, nothing else
      this.carry = null;
      this.board.render();
      this.announce(`Move cancelled. ${task.title} stays in ${STATUS_LABELS[task.status]}.`);
    }
  }

  pickUp(task) {
    if (this.carry) this.carry = null;
    this.carry = { id: task.id, from: task.status, to: task.status };
    this.board.render();
    this.announce(
      `Picked up ${task.title}, in ${STATUS_LABELS[task.status]}. Use the arrow keys to choose a column, ` +
        "Space to drop, Escape to cancel.",
    );
  }

  keyDrop() {
    const { id, from, to } = this.carry;
    this.carry = null;
    if (to === from) {
      this.board.render();
      this.announce(`Dropped. ${this.board.get(id)?.title ?? "The task"} stays in ${STATUS_LABELS[from]}.`);
      return;
    }
    this.drop(id, to);
  }

  async drop(id, status) {
    const task = this.board.get(id);
    if (!task || task.status === status) {
      this.board.render();
      return;
    }
    const title = task.title;
    const moved = await this.board.move(id, status);
    this.announce(moved ? `${title} moved to ${STATUS_LABELS[status]}.` : `${title} was not moved.`);
  }
}

function stop(event) {
  event.stopPropagation();
}
