// The caller's projects: list, select (kept in the URL hash so a reload or a shared link opens the same board),
// and create. The server makes the creator the project's owner.

import { api, getAll } from "./api.js";
import { clear, h, setMessage, toast } from "./dom.js";

const HASH = /^#project-(\d+)$/;

export class ProjectList {
  constructor({ list, form, wrap, onSelect }) {
    this.list = list;
    this.form = form;
    this.wrap = wrap;
    this.onSelect = onSelect;
    this.projects = [];
    this.selectedId = null;
    this.error = form.querySelector('[data-role="error"]');
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.create();
    });
    window.addEventListener("hashchange", () => {
      const id = this.idFromHash();
      if (id !== null && id !== this.selectedId && this.get(id)) this.select(id);
    });
  }

  idFromHash() {
    const match = HASH.exec(window.location.hash);
    return match ? Number(match[1]) : null;
  }

  // The project named in the URL when the user still has it, else the first one (or none).
  defaultId() {
    const fromHash = this.idFromHash();
    return this.get(fromHash) ? fromHash : (this.projects[0]?.id ?? null);
  }

  get(id) {
    return this.projects.find((project) => project.id === id) || null;
  }

  async refresh() {
    this.projects = await getAll("/api/projects/?page_size=200");
    this.projects.sort((a, b) => a.name.localeCompare(b.name));
    this.render();
    return this.projects;
  }

  render() {
    const items = this.projects.map((project) =>
      h(
        "li",
        { dataset: { key: `project-${project.id}` } },
        h(
          "button",
          {
            type: "button",
            class: "project-button",
            "data-role": "select",
            "aria-current": project.id === this.selectedId ? "page" : null,
            onclick: () => this.select(project.id),
          },
          h("span", { class: "project-name" }, project.name),
          project.role === "owner" ? h("span", { class: "role role-owner" }, "owner") : null,
        ),
      ),
    );
    if (!items.length) items.push(h("li", { class: "empty" }, "No projects yet."));
    clear(this.list).append(...items);
  }

  select(id) {
    const project = this.get(id);
    this.selectedId = project ? project.id : null;
    const hash = project ? `#project-${project.id}` : "";
    if (window.location.hash !== hash) history.replaceState(null, "", `${window.location.pathname}${window.location.search}${hash}`);
    this.render();
    this.onSelect(project);
  }

  async create() {
    const name = this.form.elements.name.value.trim();
    if (!name) {
      setMessage(this.error, "Give the project a name.");
      return;
    }
    try {
      const project = await api.post("/api/projects/", { name, description: this.form.elements.description.value });
      this.projects.push(project);
      this.projects.sort((a, b) => a.name.localeCompare(b.name));
      this.form.reset();
      setMessage(this.error, "");
      this.wrap.open = false;
      this.select(project.id);
      toast(`Project "${project.name}" created.`);
    } catch (error) {
      setMessage(this.error, error.message);
    }
  }
}
