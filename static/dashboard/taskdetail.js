// The task panel: edit and save with the version being looked at, delete, history, and the stored priority
// suggestion. A save against an older version is refused by the server (409); the panel then shows the task as
// it is now, says so, and offers to put the user's edits back on top of it.

import { api } from "./api.js";
import { loadActivity, renderActivity } from "./activity.js";
import { attachEnhancer, renderSuggestion } from "./assist.js";
import { clear, formatDateTime, fromLocalInputValue, h, setMessage, show, toast, toLocalInputValue } from "./dom.js";
import { fillAssignees } from "./members.js";
import { isStale, patchTask, STATUS_LABELS } from "./tasks.js";

const FIELDS = ["title", "description", "status", "priority", "due_at", "assignee"];

export class TaskDetail {
  constructor({ dialog, me, getProject, getMembers, username, labelName, onStored, onGone, onOpened, onClosed }) {
    Object.assign(this, { dialog, me, getProject, getMembers, username, labelName, onStored, onGone, onOpened, onClosed });
    this.form = dialog.querySelector("form");
    this.part = (role) => this.form.querySelector(`[data-role="${role}"]`);
    this.task = null;
    this.snapshot = null; // the form's values as last filled from the server
    this.ignored = new Set(); // suggestions the user chose to ignore, by task and level
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.part("close").addEventListener("click", () => this.close());
    this.part("delete").addEventListener("click", () => this.remove());
    dialog.addEventListener("cancel", (event) => {
      if (this.isDirty() && !window.confirm("Discard your unsaved changes to this task?")) event.preventDefault();
    });
    dialog.addEventListener("close", () => {
      this.task = null;
      this.onClosed?.();
    });
    this.form.addEventListener("input", () => this.updateRemoteNotice());
    attachEnhancer({
      button: this.part("enhance"),
      textarea: this.form.elements.description,
      output: this.part("enhance-output"),
    });
  }

  get isOpen() {
    return this.dialog.open && this.task !== null;
  }

  async openById(taskId) {
    try {
      this.open(await api.get(`/api/tasks/${taskId}/`));
    } catch (error) {
      toast(error.status === 404 ? "That task no longer exists, or you are no longer in its project." : error.message, "error");
    }
  }

  open(task) {
    this.latest = null;
    setMessage(this.part("conflict"), "");
    setMessage(this.part("error"), "");
    clear(this.part("enhance-output"));
    this.fill(task);
    if (!this.dialog.open) this.dialog.showModal();
    this.form.elements.title.focus();
    this.onOpened?.(task);
  }

  close() {
    if (this.isDirty() && !window.confirm("Discard your unsaved changes to this task?")) return;
    this.dialog.close();
  }

  formValues() {
    const f = this.form.elements;
    return {
      title: f.title.value,
      description: f.description.value,
      status: f.status.value,
      priority: f.priority.value,
      due_at: f.due_at.value,
      assignee: f.assignee.value,
    };
  }

  setFormValues(values) {
    for (const [field, value] of Object.entries(values)) this.form.elements[field].value = value;
  }

  isDirty() {
    if (!this.isOpen || !this.snapshot) return false;
    const now = this.formValues();
    return FIELDS.some((field) => now[field] !== this.snapshot[field]);
  }

  fill(task) {
    const otherTask = !this.task || this.task.id !== task.id;
    const versionChanged = otherTask || this.task.version !== task.version;
    if (otherTask) clear(this.part("activity")); // never show one task's history under another's title
    this.task = task;
    this.latest = null;
    this.form.elements.title.value = task.title;
    this.form.elements.description.value = task.description;
    this.form.elements.status.value = task.status;
    this.form.elements.priority.value = task.priority;
    this.form.elements.due_at.value = toLocalInputValue(task.due_at);
    fillAssignees(this.form.elements.assignee, this.getMembers(), task.assignee);
    this.snapshot = this.formValues();
    this.dialog.querySelector("h2").textContent = task.title;
    this.renderMeta();
    this.renderSuggestion();
    this.updateRemoteNotice();
    const project = this.getProject();
    show(this.part("delete"), task.created_by?.id === this.me.id || project?.role === "owner");
    if (versionChanged) this.refreshActivity();
  }

  renderMeta() {
    const task = this.task;
    const parts = [`Created by ${task.created_by ? task.created_by.username : "someone"} ${formatDateTime(task.created_at)}`];
    parts.push(`updated ${formatDateTime(task.updated_at)}`, `version ${task.version}`);
    if (task.completed_at) parts.push(`completed ${formatDateTime(task.completed_at)}`);
    this.part("meta").textContent = parts.join(" · ");
  }

  renderSuggestion() {
    const output = this.part("suggested-priority");
    const suggestion = this.task.suggested_priority;
    const key = suggestion && `${this.task.id}:${suggestion.priority}`;
    if (!suggestion || suggestion.priority === this.task.priority || this.ignored.has(key)) {
      clear(output);
      return;
    }
    renderSuggestion(output, suggestion, { onApply: (chosen) => this.applySuggestion(chosen) });
    // "Ignore" clears the box; remember it so the next live update of this task does not bring it back.
    output.querySelector('[data-role="ignore-suggestion"]').addEventListener("click", () => this.ignored.add(key));
  }

  async refreshActivity() {
    const task = this.task;
    const list = this.part("activity");
    try {
      const entries = await loadActivity(task.id);
      if (this.task?.id === task.id) renderActivity(list, entries, { username: this.username, labelName: this.labelName });
    } catch (error) {
      clear(list).append(h("li", { class: "muted" }, `The history could not be loaded: ${error.message}`));
    }
  }

  // The API values of the fields the user changed since the form was filled.
  changes() {
    const now = this.formValues();
    const changes = {};
    for (const field of FIELDS) {
      if (now[field] === this.snapshot[field]) continue;
      if (field === "due_at") changes.due_at = fromLocalInputValue(now.due_at);
      else if (field === "assignee") changes.assignee = now.assignee ? Number(now.assignee) : null;
      else if (field === "title") changes.title = now.title.trim();
      else changes[field] = now[field];
    }
    return changes;
  }

  // The raw form values the user changed, to put back after the form was refilled from the server.
  edits(except = []) {
    const now = this.formValues();
    return Object.fromEntries(FIELDS.filter((f) => !except.includes(f) && now[f] !== this.snapshot[f]).map((f) => [f, now[f]]));
  }

  async save() {
    setMessage(this.part("error"), "");
    let changes;
    try {
      changes = this.changes();
    } catch (error) {
      setMessage(this.part("error"), error.message);
      return;
    }
    if ("title" in changes && !changes.title) {
      setMessage(this.part("error"), "A task needs a title.");
      return;
    }
    if (!Object.keys(changes).length) {
      toast("Nothing to save: no field was changed.");
      return;
    }
    await this.write(changes, this.edits());
  }

  async applySuggestion(suggestion) {
    // Only the priority is written; edits in progress on other fields survive the refill below.
    await this.write({ priority: suggestion.priority }, this.edits(["priority"]), { keepEdits: true });
  }

  async write(changes, edits, { keepEdits = false } = {}) {
    const task = this.task;
    let result;
    try {
      result = await patchTask(task, changes);
    } catch (error) {
      if (error.status === 404) {
        this.dialog.close();
        this.onGone(task.id);
        toast("This task was deleted, or you are no longer in its project.", "error");
        return;
      }
      setMessage(this.part("error"), error.message);
      return;
    }
    if (this.task?.id !== task.id) return; // another task was opened while this one was saving
    this.fill(result.task);
    this.onStored(result.task);
    if (result.conflict) {
      this.showConflict(result.task, edits);
      return;
    }
    setMessage(this.part("conflict"), ""); // an earlier conflict is resolved by this save
    if (keepEdits) this.setFormValues(edits);
    toast("Saved.");
  }

  showConflict(current, edits) {
    const conflict = this.part("conflict");
    clear(conflict).append(
      `This task was changed by someone else while you were editing. It now shows the latest version (${current.version}).`,
    );
    if (Object.keys(edits).length) {
      conflict.append(
        " ",
        h(
          "button",
          {
            type: "button",
            class: "link-button",
            "data-role": "reapply",
            onclick: (event) => {
              this.setFormValues(edits);
              event.target.remove();
              this.form.elements.title.focus();
            },
          },
          "Put my edits back",
        ),
      );
    }
    conflict.hidden = false;
  }

  // A live update of the open task: refill when the user has not typed anything; otherwise keep their edits and
  // say that a newer version exists (their save will then be answered with a 409 and the conflict notice).
  remoteUpdate(task) {
    if (!this.isOpen || task.id !== this.task.id || isStale(task, this.task)) return;
    if (task.version === this.task.version) {
      this.task = task; // same version: only system fields (the suggestion) can differ
      this.renderSuggestion();
      return;
    }
    if (this.isDirty()) {
      this.latest = task;
      this.updateRemoteNotice();
      return;
    }
    setMessage(this.part("conflict"), "");
    this.fill(task);
  }

  updateRemoteNotice() {
    const notice = this.part("remote-change");
    if (this.latest && this.latest.version > this.task.version && this.isDirty()) {
      const who = this.latest.status !== this.task.status ? ` (now ${STATUS_LABELS[this.latest.status]})` : "";
      setMessage(notice, `Someone else saved a newer version of this task${who}. Saving will show you their version first.`);
    } else {
      setMessage(notice, "");
      if (this.latest && !this.isDirty()) this.fill(this.latest);
    }
  }

  remoteDelete(taskId) {
    if (this.isOpen && this.task.id === taskId) {
      this.dialog.close();
      toast("The task you had open was deleted.", "warning");
    }
  }

  setMembers(members) {
    if (!this.isOpen) return;
    const select = this.form.elements.assignee;
    const id = select.value ? Number(select.value) : null;
    const chosen = id === null ? null : { id, username: this.username(id) || select.selectedOptions[0]?.textContent };
    fillAssignees(select, members, chosen);
  }

  async remove() {
    const task = this.task;
    if (!window.confirm(`Delete "${task.title}"? This cannot be undone.`)) return;
    try {
      await api.delete(`/api/tasks/${task.id}/`);
      this.dialog.close();
      this.onGone(task.id);
      toast(`Deleted "${task.title}".`);
    } catch (error) {
      if (error.status === 404) {
        this.dialog.close();
        this.onGone(task.id);
      }
      setMessage(this.part("error"), error.message);
    }
  }
}
