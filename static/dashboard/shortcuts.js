// Keyboard shortcuts: `c` a new task, `/` the search box, `?` this list; Escape closes dialogs and panels (native
// for <dialog>). None of them fires while the user types in a field, or with Ctrl, Alt or Meta held.

const TYPING = "input, textarea, select, [contenteditable=''], [contenteditable='true']";

export function attachShortcuts({ help, actions }) {
  help.querySelector('[data-role="close"]').addEventListener("click", () => help.close());
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.target instanceof Element && event.target.closest(TYPING)) return;
    if (document.querySelector("dialog[open]") && event.key !== "Escape") return; // a dialog has the keyboard
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  return {
    showHelp: () => {
      if (!help.open) help.showModal();
    },
  };
}
