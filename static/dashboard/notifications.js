// The bell: unread count, the newest notifications, mark one or all read. The count shown is the server's
// (unread_count frames, sent to every tab whenever it changes); the list is kept by id, so a notification that
// arrives both live and through resume is shown once.
//
// Notifications are numbered per user without holes (seq), in commit order. `heldSeq` is the number up to which this
// page has everything. A frame further ahead, or a ready/pong frame whose last_seq is above it, means a frame was
// lost on the way: the page asks the server to resume after heldSeq, which sends exactly the missing ones.

import { api } from "./api.js";
import { clear, formatDateTime, h, toast } from "./dom.js";

const PAGE = 30;
const SHOWN = 50;

export class Notifications {
  constructor({ button, count, panel, list, empty, readAll, onOpenTask }) {
    Object.assign(this, { button, count, panel, list, empty, onOpenTask });
    this.items = new Map();
    this.heldSeq = 0;
    this.ahead = new Set(); // seqs received above heldSeq + 1, waiting for the gap below them to fill
    this.resuming = false;
    this.requestResume = () => {}; // set by the page: sends {type: "resume", after_seq}
    this.unread = 0;
    button.addEventListener("click", () => this.toggle(this.panel.hidden));
    readAll.addEventListener("click", () => this.markAllRead());
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !this.panel.hidden) {
        this.toggle(false);
        this.button.focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (!this.panel.hidden && !event.target.closest(".bell")) this.toggle(false);
    });
  }

  async load() {
    const page = await api.get(`/api/notifications/?page_size=${PAGE}`);
    for (const notification of page.results) this.add(notification);
    // The newest page is everything up to its highest seq: numbers are given in commit order.
    this.heldSeq = Math.max(0, ...page.results.map((notification) => notification.seq));
    await this.refreshCount();
  }

  // A notification frame, live or replayed.
  receive(notification) {
    this.add(notification);
    const seq = notification.seq;
    if (seq <= this.heldSeq) return; // a copy of one already held
    this.ahead.add(seq);
    while (this.ahead.delete(this.heldSeq + 1)) this.heldSeq += 1;
    if (this.ahead.size) this.resume(); // a jump: something in between was lost
  }

  // `last_seq` from ready (a new connection) or pong (the server's newest number).
  sync(lastSeq, { answered = false } = {}) {
    if (answered) this.resuming = false; // a pong follows the replay of any resume sent before its ping
    if (lastSeq > this.heldSeq) this.resume();
  }

  resume() {
    if (this.resuming) return;
    this.resuming = true;
    this.requestResume(this.heldSeq);
  }

  async refreshCount() {
    const { count } = await api.get("/api/notifications/unread-count/");
    this.setCount(count);
  }

  add(notification) {
    this.items.set(notification.id, notification);
    this.render();
  }

  setCount(count) {
    const grew = count > this.unread;
    this.unread = count;
    this.count.textContent = count > 99 ? "99+" : String(count);
    this.count.hidden = count === 0;
    this.button.setAttribute("aria-label", `Notifications, ${count} unread`);
    if (grew) {
      this.button.classList.remove("bump");
      void this.button.offsetWidth; // restart the CSS animation
      this.button.classList.add("bump");
    }
    if (count === 0) {
      // Read elsewhere (another tab, "mark all read"): nothing is unread, so no item here may look unread.
      const now = new Date().toISOString();
      for (const item of this.items.values()) if (!item.read_at) item.read_at = now;
      this.render();
    }
  }

  async toggle(open) {
    this.panel.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
    if (!open) return;
    // Opening re-reads the newest page: read marks made in other tabs arrive as counts only, not per item.
    try {
      const page = await api.get(`/api/notifications/?page_size=${PAGE}`);
      for (const notification of page.results) this.add(notification);
    } catch (error) {
      toast(error.message, "error");
    }
  }

  render() {
    const newest = [...this.items.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN);
    this.empty.hidden = newest.length > 0;
    clear(this.list).append(...newest.map((item) => this.row(item)));
  }

  row(item) {
    const unread = !item.read_at;
    const text = item.task
      ? h("button", { type: "button", class: "notification-open", "data-role": "open", onclick: () => this.open(item) }, item.message)
      : h("p", { class: "notification-text" }, item.message);
    return h(
      "li",
      { class: `notification${unread ? " unread" : ""}`, dataset: { key: `notification-${item.id}` } },
      text,
      h(
        "div",
        { class: "notification-meta" },
        h("time", { datetime: item.created_at }, formatDateTime(item.created_at)),
        unread ? h("span", { class: "visually-hidden" }, "Unread.") : null,
        unread
          ? h("button", { type: "button", class: "link-button", "data-role": "mark-read", onclick: () => this.markRead(item) }, "Mark read")
          : null,
      ),
    );
  }

  async markRead(item) {
    try {
      this.add(await api.post(`/api/notifications/${item.id}/read/`));
    } catch (error) {
      toast(error.message, "error");
    }
  }

  async markAllRead() {
    try {
      await api.post("/api/notifications/read-all/");
      this.setCount(0);
    } catch (error) {
      toast(error.message, "error");
    }
  }

  async open(item) {
    if (!item.read_at) this.markRead(item);
    this.toggle(false);
    this.onOpenTask(item.task);
  }
}
