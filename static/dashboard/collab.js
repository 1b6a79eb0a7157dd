// Collaboration on the page: comments (with safe rendering and @-completion), watching, labels on cards and in the
// task dialog, presence (who has the project open, who edits the open task). Every piece of user text is put in the
// page as text nodes built here; nothing is parsed as HTML.

import { api, getAll } from "./api.js";
import { clear, formatDateTime, h, setMessage, show, toast } from "./dom.js";

const PRESENCE_EVERY_MS = 15_000; // the server forgets an announcement after 25 s
const URL_OR_CODE = /(https?:\/\/[^\s<>"']+)|`([^`\n]+)`/g;

// A comment body as nodes: line breaks, clickable http(s) links (rel="noopener noreferrer"), `inline code`.
export function renderCommentBody(text) {
  const fragment = document.createDocumentFragment();
  text.split("\n").forEach((line, index) => {
    if (index) fragment.append(h("br"));
    let last = 0;
    for (const match of line.matchAll(URL_OR_CODE)) {
      if (match.index > last) fragment.append(line.slice(last, match.index));
      if (match[1]) {
        const url = match[1].replace(/[.,;:!?)]+$/, "");
        fragment.append(h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url));
        last = match.index + url.length;
        continue;
      }
      fragment.append(h("code", {}, match[2]));
      last = match.index + match[0].length;
    }
    if (last < line.length) fragment.append(line.slice(last));
  });
  return fragment;
}

// Label chips and the comment count for a card (used by the board).
export function cardDecorations(task) {
  const chips = (task.labels || []).map((label) =>
    h("span", { class: "label-chip", dataset: { color: label.color } }, label.name),
  );
  const count = task.comment_count
    ? h("span", { class: "comment-count", title: `${task.comment_count} comments` }, `💬 ${task.comment_count}`)
    : null;
  const node = h("div", { class: "card-collab" }, ...chips, count);
  paintChips(node);
  return chips.length || count ? node : null;
}

// Colours come from data attributes through the CSSOM (no inline style attribute: the CSP forbids them).
function paintChips(root) {
  for (const chip of root.querySelectorAll("[data-color]")) {
    chip.style.setProperty("--chip", chip.dataset.color);
  }
}

const userList = (users) => users.map((user) => user.username).join(", ");

export class Collaboration {
  constructor({ dialog, presenceRoot, me, send, getProject, getMembers, getTask, onTaskChanged, onLabels = () => {} }) {
    Object.assign(this, { dialog, presenceRoot, me, send, getProject, getMembers, getTask, onTaskChanged, onLabels });
    this.part = (role) => dialog.querySelector(`[data-role="${role}"]`);
    this.comments = new Map();
    this.labels = [];
    this.presence = null;
    this.editing = null;
    this.timer = setInterval(() => this.announce(), PRESENCE_EVERY_MS);
    this.part("comment-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.postComment();
    });
    this.part("watch").addEventListener("click", () => this.toggleWatch());
    this.part("label-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.createLabel();
    });
    this.attachCompletion(this.part("comment-body"));
  }

  // --- presence ---------------------------------------------------------------------------------------------------
  announce() {
    const project = this.getProject();
    if (project) this.send({ type: "presence", project: project.id, editing: this.editing });
  }

  setEditing(taskId) {
    this.editing = taskId;
    this.announce();
    this.renderEditing();
  }

  onPresence(frame) {
    if (frame.project !== this.getProject()?.id) return;
    this.presence = frame;
    const others = frame.users;
    clear(this.presenceRoot).append(
      ...others.map((user) =>
        h(
          "span",
          { class: `avatar${user.id === this.me.id ? " me" : ""}`, title: user.username, "aria-label": user.username },
          user.username.slice(0, 2).toUpperCase(),
        ),
      ),
    );
    this.presenceRoot.setAttribute("aria-label", `Here now: ${userList(others)}`);
    this.renderEditing();
  }

  renderEditing() {
    const task = this.getTask();
    const editors = (task && this.presence?.editing?.[String(task.id)]) || [];
    const others = editors.filter((user) => user.id !== this.me.id);
    setMessage(this.part("editing-hint"), others.length ? `${userList(others)} ${others.length > 1 ? "are" : "is"} editing this task` : "");
  }

  projectChanged() {
    this.presence = null;
    clear(this.presenceRoot);
    this.setLabels([]);
    this.announce();
    this.loadLabels();
  }

  // --- comments ---------------------------------------------------------------------------------------------------
  async taskOpened(task) {
    this.learnLabels(task.labels);
    this.setEditing(task.id);
    this.comments = new Map();
    this.renderComments();
    this.renderLabelPicker(task);
    const [comments, watchers] = await Promise.allSettled([
      getAll(`/api/tasks/${task.id}/comments/?page_size=200`),
      getAll(`/api/tasks/${task.id}/watchers/?page_size=200`),
    ]);
    if (this.getTask()?.id !== task.id) return;
    if (comments.status === "fulfilled") for (const comment of comments.value) this.comments.set(comment.id, comment);
    this.renderComments();
    this.watching = watchers.status === "fulfilled" && watchers.value.some((user) => user.id === this.me.id);
    this.renderWatch();
  }

  taskClosed() {
    this.setEditing(null);
  }

  onCommentFrame(frame) {
    const task = this.getTask();
    if (task && frame.task === task.id) {
      if (frame.type === "comment.deleted") this.comments.delete(frame.comment.id);
      else this.comments.set(frame.comment.id, frame.comment);
      this.renderComments();
    }
  }

  renderComments() {
    const list = this.part("comments");
    const items = [...this.comments.values()]
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)
      .map((comment) => this.commentItem(comment));
    if (!items.length) items.push(h("li", { class: "muted" }, "No comments yet."));
    clear(list).append(...items);
  }

  commentItem(comment) {
    const mine = comment.author?.id === this.me.id;
    const owner = this.getProject()?.role === "owner";
    const when = formatDateTime(comment.created_at) + (comment.edited_at ? ` · edited ${formatDateTime(comment.edited_at)}` : "");
    const body = h("div", { class: "comment-body", "data-role": "comment-text" });
    body.append(renderCommentBody(comment.body));
    return h(
      "li",
      { class: "comment", dataset: { key: `comment-${comment.id}`, commentId: String(comment.id) } },
      h("p", { class: "comment-head small" }, h("strong", {}, comment.author?.username || "someone"), ` ${when}`),
      body,
      mine ? h("button", { type: "button", class: "link-button", onclick: () => this.editComment(comment) }, "Edit") : null,
      mine || owner
        ? h("button", { type: "button", class: "link-button", onclick: () => this.deleteComment(comment) }, "Delete")
        : null,
    );
  }

  async postComment() {
    const task = this.getTask();
    const field = this.part("comment-body");
    const body = field.value;
    if (!task || !body.trim()) return;
    const button = this.part("comment-submit");
    button.disabled = true;
    try {
      const comment = await api.post(`/api/tasks/${task.id}/comments/`, { body });
      this.comments.set(comment.id, comment);
      field.value = "";
      this.renderComments();
      this.watching = true;
      this.renderWatch();
    } catch (error) {
      toast(error.message, "error");
    } finally {
      button.disabled = false;
    }
  }

  async editComment(comment) {
    const body = window.prompt("Edit your comment", comment.body);
    if (body === null || body === comment.body || !body.trim()) return;
    try {
      const stored = await api.patch(`/api/comments/${comment.id}/`, { body });
      this.comments.set(stored.id, stored);
      this.renderComments();
    } catch (error) {
      toast(error.message, "error");
    }
  }

  async deleteComment(comment) {
    if (!window.confirm("Delete this comment?")) return;
    try {
      await api.delete(`/api/comments/${comment.id}/`);
      this.comments.delete(comment.id);
      this.renderComments();
    } catch (error) {
      toast(error.message, "error");
    }
  }

  // "@al" before the cursor offers the project's members whose names start with "al".
  attachCompletion(textarea) {
    const box = this.part("mention-options");
    const close = () => show(clear(box), false);
    textarea.addEventListener("input", () => {
      const before = textarea.value.slice(0, textarea.selectionStart);
      const match = /(^|\s)@([\w.+-]*)$/.exec(before);
      if (!match) return close();
      const prefix = match[2].toLowerCase();
      const found = this.getMembers()
        .map((member) => member.user)
        .filter((user) => user.username.toLowerCase().startsWith(prefix))
        .slice(0, 8);
      if (!found.length) return close();
      clear(box).append(
        ...found.map((user) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "link-button",
                "data-role": "mention-option",
                onclick: () => {
                  const start = before.length - match[2].length;
                  textarea.value = `${textarea.value.slice(0, start)}${user.username} ${textarea.value.slice(textarea.selectionStart)}`;
                  textarea.focus();
                  textarea.selectionStart = textarea.selectionEnd = start + user.username.length + 1;
                  close();
                },
              },
              `@${user.username}`,
            ),
          ),
        ),
      );
      show(box, true);
    });
    textarea.addEventListener("blur", () => setTimeout(close, 200));
  }

  // --- watching ---------------------------------------------------------------------------------------------------
  renderWatch() {
    const button = this.part("watch");
    button.textContent = this.watching ? "Stop watching" : "Watch";
    button.setAttribute("aria-pressed", this.watching ? "true" : "false");
  }

  async toggleWatch() {
    const task = this.getTask();
    if (!task) return;
    try {
      const url = `/api/tasks/${task.id}/watchers/me/`;
      await (this.watching ? api.delete(url) : api.put(url));
      this.watching = !this.watching;
      this.renderWatch();
    } catch (error) {
      toast(error.message, "error");
    }
  }

  // --- labels -----------------------------------------------------------------------------------------------------
  // The project's labels, also offered as filter chips on the board (onLabels).
  setLabels(labels) {
    this.labels = labels;
    this.onLabels(labels);
  }

  // Labels are sent in no frame of their own (API.md): one made or renamed by someone else is learnt from the tasks
  // that carry it, as they arrive.
  learnLabels(carried) {
    const project = this.getProject();
    const known = new Map(this.labels.map((label) => [label.id, label]));
    let changed = false;
    for (const label of carried || []) {
      const had = known.get(label.id);
      if (label.project !== project?.id || (had && had.name === label.name && had.color === label.color)) continue;
      known.set(label.id, label);
      changed = true;
    }
    if (changed) this.setLabels([...known.values()].sort((a, b) => a.name.localeCompare(b.name)));
  }

  async loadLabels() {
    const project = this.getProject();
    if (!project) return;
    try {
      const labels = await getAll(`/api/projects/${project.id}/labels/?page_size=200`);
      if (this.getProject()?.id === project.id) this.setLabels(labels);
    } catch {
      this.setLabels([]);
    }
    const task = this.getTask();
    if (task) this.renderLabelPicker(task);
  }

  renderLabelPicker(task) {
    const picker = this.part("label-picker");
    const chosen = new Set((task.labels || []).map((label) => label.id));
    const items = this.labels.map((label) => {
      const id = `label-${task.id}-${label.id}`;
      return h(
        "li",
        {},
        h("input", {
          type: "checkbox",
          id,
          checked: chosen.has(label.id),
          onchange: () => this.saveLabels(),
          dataset: { labelId: String(label.id) },
        }),
        h("label", { for: id, class: "label-chip", dataset: { color: label.color } }, label.name),
      );
    });
    if (!items.length) items.push(h("li", { class: "muted small" }, "No labels in this project yet."));
    clear(picker).append(...items);
    paintChips(picker);
    this.renderLabelManager();
  }

  // Members rename and recolour labels; owners delete them (the server takes a deleted label off its tasks).
  renderLabelManager() {
    const list = this.part("label-manager");
    const owner = this.getProject()?.role === "owner";
    clear(list).append(
      ...this.labels.map((label) =>
        h(
          "li",
          { dataset: { key: `label-${label.id}` } },
          h("span", { class: "label-chip", dataset: { color: label.color } }, label.name),
          h("button", { type: "button", class: "link-button", onclick: () => this.renameLabel(label) }, `Rename ${label.name}`),
          h(
            "input",
            {
              type: "color",
              value: label.color,
              "aria-label": `Colour of ${label.name}`,
              onchange: (event) => this.updateLabel(label, { color: event.target.value }),
            },
          ),
          owner
            ? h("button", { type: "button", class: "link-button danger", onclick: () => this.deleteLabel(label) }, `Delete ${label.name}`)
            : null,
        ),
      ),
    );
    paintChips(list);
  }

  async renameLabel(label) {
    const name = window.prompt("New name of the label", label.name);
    if (name && name.trim() && name.trim() !== label.name) await this.updateLabel(label, { name: name.trim() });
  }

  async updateLabel(label, changes) {
    try {
      const stored = await api.patch(`/api/labels/${label.id}/`, changes);
      this.setLabels(this.labels.map((item) => (item.id === stored.id ? stored : item)));
      const task = this.getTask();
      if (task) this.renderLabelPicker(task);
    } catch (error) {
      toast(error.message, "error");
    }
  }

  async deleteLabel(label) {
    if (!window.confirm(`Delete the label "${label.name}"? It is taken off every task.`)) return;
    try {
      await api.delete(`/api/labels/${label.id}/`);
      this.setLabels(this.labels.filter((item) => item.id !== label.id));
      const task = this.getTask();
      if (task) this.renderLabelPicker({ ...task, labels: (task.labels || []).filter((item) => item.id !== label.id) });
    } catch (error) {
      toast(error.message, "error");
    }
  }

  async saveLabels() {
    const task = this.getTask();
    if (!task) return;
    const ids = [...this.part("label-picker").querySelectorAll("input:checked")].map((input) => Number(input.dataset.labelId));
    try {
      const stored = await api.patch(`/api/tasks/${task.id}/`, { labels: ids });
      this.onTaskChanged(stored);
    } catch (error) {
      toast(error.message, "error");
    }
  }

  async createLabel() {
    const project = this.getProject();
    const form = this.part("label-form");
    const name = form.elements.label_name.value.trim();
    if (!project || !name) return;
    try {
      const label = await api.post(`/api/projects/${project.id}/labels/`, { name, color: form.elements.label_color.value });
      this.setLabels([...this.labels, label].sort((a, b) => a.name.localeCompare(b.name)));
      form.elements.label_name.value = "";
      const task = this.getTask();
      if (task) this.renderLabelPicker(task);
    } catch (error) {
      toast(error.message, "error");
    }
  }
}
