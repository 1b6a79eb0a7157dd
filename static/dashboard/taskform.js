// The create-task form. The due date is typed in the user's own time zone and sent as an instant with a zone.

import { api } from "./api.js";
import { attachEnhancer, attachPrioritySuggester } from "./assist.js";
import { clear, fromLocalInputValue, setMessage } from "./dom.js";
import { fillAssignees } from "./members.js";

const SENT_FIELDS = ["title", "description", "priority", "due_at", "assignee"];

export class TaskForm {
  constructor({ wrap, form, getProject, onCreated }) {
    this.wrap = wrap;
    this.form = form;
    this.getProject = getProject;
    this.onCreated = onCreated;
    this.error = form.querySelector('[data-role="error"]');
    this.enhanceOutput = form.querySelector('[data-role="enhance-output"]');
    this.priorityOutput = form.querySelector('[data-role="priority-output"]');
    this.submitButton = form.querySelector('button[type="submit"]');
    this.saving = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    attachEnhancer({
      button: form.querySelector('[data-role="enhance"]'),
      textarea: form.elements.description,
      output: this.enhanceOutput,
    });
    attachPrioritySuggester({
      button: form.querySelector('[data-role="suggest-priority"]'),
      form,
      output: this.priorityOutput,
    });
  }

  setMembers(members) {
    const select = this.form.elements.assignee;
    const chosen = members.find((member) => String(member.user.id) === select.value);
    fillAssignees(select, members, chosen ? chosen.user : null);
  }

  reset() {
    this.form.reset();
    clear(this.enhanceOutput);
    clear(this.priorityOutput);
    setMessage(this.error, "");
  }

  // The fields as sent, to clear after the answer only those the user has not touched meanwhile.
  values() {
    const fields = this.form.elements;
    return Object.fromEntries(SENT_FIELDS.map((name) => [name, fields[name].value]));
  }

  // After a create: what the user typed for the next task while this one was saving stays as typed (a field they
  // had not touched goes back to its default, so the next task never inherits half of the previous one).
  clearSent(sent) {
    const fields = this.form.elements;
    const typed = SENT_FIELDS.filter((name) => fields[name].value !== sent[name]);
    const kept = Object.fromEntries(typed.map((name) => [name, fields[name].value]));
    this.reset();
    for (const [name, value] of Object.entries(kept)) fields[name].value = value;
  }

  async submit() {
    if (this.saving) return; // a double click or a second Enter creates one task
    const project = this.getProject();
    const fields = this.form.elements;
    const title = fields.title.value.trim();
    if (!project) return;
    if (!title) {
      setMessage(this.error, "Give the task a title.");
      fields.title.focus();
      return;
    }
    let dueAt;
    try {
      dueAt = fromLocalInputValue(fields.due_at.value);
    } catch (error) {
      setMessage(this.error, error.message);
      return;
    }
    const sent = this.values();
    this.saving = true;
    // Disabled only for the click; the form's fields stay editable for the next task.
    this.submitButton.disabled = true;
    this.submitButton.setAttribute("aria-busy", "true");
    const keepFocus = document.activeElement === this.submitButton;
    try {
      const task = await api.post("/api/tasks/", {
        project: project.id,
        title,
        description: sent.description,
        priority: sent.priority,
        due_at: dueAt,
        assignee: sent.assignee ? Number(sent.assignee) : null,
      });
      this.clearSent(sent);
      this.onCreated(task);
      if (keepFocus || !this.form.contains(document.activeElement)) fields.title.focus(); // ready for the next one
    } catch (error) {
      setMessage(this.error, error.message);
    } finally {
      this.saving = false;
      this.submitButton.disabled = false;
      this.submitButton.removeAttribute("aria-busy");
    }
  }
}
