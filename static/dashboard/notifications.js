// The bell: unread count, the newest notifications, mark one or all read. The count shown is the server's
// (unread_count frames, sent to every tab whenever it changes); the list is kept by id, so a notification that
// arrives both live and through resume is shown once.

import { api } from "./api.js";
import { clear, formatDateTime, h, toast } from "./dom.js";

const PAGE = 30;
const SHOWN = 50;

export class Notifications {
  constructor({ button, count, panel, list, empty, readAll, onOpenTask }) {
    Object.assign(this, { button, count, panel, list, empty, onOpenTask });
    this.items = new Map();
    this.highestId = 0;
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
    await this.refreshCount();
  }

  async refreshCount() {
    const { count } = await api.get("/api/notifications/unread-count/");
    this.setCount(count);
  }

  add(notification) {
    this.items.set(notification.id, notification);
    this.highestId = Math.max(this.highestId, notification.id);
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
