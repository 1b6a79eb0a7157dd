// The create-task form. The due date is typed in the user's own time zone and sent as an instant with a zone.

import { api } from "./api.js";
import { attachEnhancer, attachPrioritySuggester } from "./assist.js";
import { clear, fromLocalInputValue, setMessage } from "./dom.js";
import { fillAssignees } from "./members.js";

export class TaskForm {
  constructor({ wrap, form, getProject, onCreated }) {
    this.wrap = wrap;
    this.form = form;
    this.getProject = getProject;
    this.onCreated = onCreated;
    this.error = form.querySelector('[data-role="error"]');
    this.enhanceOutput = form.querySelector('[data-role="enhance-output"]');
    this.priorityOutput = form.querySelector('[data-role="priority-output"]');
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

  async submit() {
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
    try {
      const task = await api.post("/api/tasks/", {
        project: project.id,
        title,
        description: fields.description.value,
        priority: fields.priority.value,
        due_at: dueAt,
        assignee: fields.assignee.value ? Number(fields.assignee.value) : null,
      });
      this.reset();
      this.onCreated(task);
      fields.title.focus(); // ready for the next one
    } catch (error) {
      setMessage(this.error, error.message);
    }
  }
}
