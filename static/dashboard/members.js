// Members of the selected project. Everyone sees the list (it feeds the assignee choices); owners also add people
// by username and remove them. The server decides who may do what; the page only hides controls that would be refused.

import { api, getAll } from "./api.js";
import { clear, h, setMessage, show, toast } from "./dom.js";

export class MembersPanel {
  constructor({ section, list, form, me, onChange }) {
    this.section = section;
    this.list = list;
    this.form = form;
    this.me = me;
    this.onChange = onChange;
    this.project = null;
    this.members = [];
    this.error = form.querySelector('[data-role="error"]');
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
  }

  get isOwner() {
    return this.project?.role === "owner";
  }

  username(userId) {
    return this.members.find((member) => member.user.id === userId)?.user.username;
  }

  async load(project) {
    this.project = project;
    const members = await getAll(`/api/projects/${project.id}/members/?page_size=200`);
    if (this.project !== project) return; // another project was selected meanwhile
    this.members = members;
    this.render();
    this.onChange(this.members);
  }

  // The same project re-read from the server: the caller's role (and so the owner controls) may have changed.
  refreshProject(project) {
    if (this.project?.id !== project.id) return;
    this.project = project;
    this.render();
  }

  reset() {
    this.project = null;
    this.members = [];
    show(this.section, false);
    this.onChange(this.members);
  }

  render() {
    show(this.section, true);
    show(this.form, this.isOwner);
    const items = [...this.members]
      .sort((a, b) => (a.role === b.role ? a.user.username.localeCompare(b.user.username) : a.role === "owner" ? -1 : 1))
      .map((member) => {
        const isMe = member.user.id === this.me.id;
        return h(
          "li",
          { class: "member", dataset: { key: `member-${member.user.id}` } },
          h("span", { class: "member-name" }, member.user.username, isMe ? " (you)" : ""),
          h("span", { class: `role role-${member.role}` }, member.role),
          this.isOwner && !isMe
            ? h(
                "button",
                {
                  type: "button",
                  class: "link-button danger-text",
                  "data-role": "remove",
                  "aria-label": `Remove ${member.user.username}`,
                  onclick: () => this.remove(member),
                },
                "Remove",
              )
            : null,
        );
      });
    clear(this.list).append(...items);
  }

  async add() {
    const project = this.project;
    const username = this.form.elements.username.value.trim();
    if (!username) {
      setMessage(this.error, "Enter the username of the person to add.");
      return;
    }
    try {
      const membership = await api.post(`/api/projects/${project.id}/members/`, {
        username,
        role: this.form.elements.role.value,
      });
      if (this.project !== project) return;
      this.members.push(membership);
      this.form.reset();
      setMessage(this.error, "");
      this.render();
      this.onChange(this.members);
      toast(`${membership.user.username} joined ${project.name}.`);
    } catch (error) {
      // The server names the field ({"username": ["No user with that username."]}); the form has only that one.
      const message = error.body?.username?.join(" ") || error.message;
      setMessage(this.error, message);
    }
  }

  async remove(member) {
    const project = this.project;
    if (!window.confirm(`Remove ${member.user.username} from ${project.name}? Their tasks here become unassigned.`)) return;
    try {
      await api.delete(`/api/projects/${project.id}/members/${member.user.id}/`);
      if (this.project !== project) return;
      this.members = this.members.filter((m) => m.user.id !== member.user.id);
      this.render();
      this.onChange(this.members);
      toast(`${member.user.username} was removed from ${project.name}.`);
    } catch (error) {
      toast(error.message, "error");
    }
  }
}

// Fill an assignee <select> with "Unassigned" and the members. A current assignee who is no longer in the list
// (removed meanwhile) stays selectable as is, so that opening a task never changes it silently.
export function fillAssignees(select, members, current = null) {
  const options = [h("option", { value: "" }, "Unassigned")];
  const ids = new Set();
  for (const member of [...members].sort((a, b) => a.user.username.localeCompare(b.user.username))) {
    ids.add(member.user.id);
    options.push(h("option", { value: String(member.user.id) }, member.user.username));
  }
  if (current && !ids.has(current.id)) options.push(h("option", { value: String(current.id) }, current.username));
  select.replaceChildren(...options);
  select.value = current ? String(current.id) : "";
}
