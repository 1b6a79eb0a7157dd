// AI assist, always as a suggestion the user accepts or ignores: nothing here saves a task. "Apply" only fills a
// form control; the user's own Save (or the one explicit Apply of a stored suggestion) is the change.
// When the assistant is unavailable (503, e.g. not configured) its reason is shown calmly in place: the rest of the
// form keeps working.

import { api, ApiError } from "./api.js";
import { clear, fromLocalInputValue, h } from "./dom.js";

export function suggestionText(suggestion) {
  const percent = Math.round((suggestion.confidence ?? 0) * 100);
  const cues = (suggestion.cues || []).filter(Boolean);
  const because = cues.length ? ` because: ${cues.join(", ")}` : "";
  return `Suggested: ${suggestion.priority} (${percent}%)${because}`;
}

export function note(output, text, kind = "calm") {
  clear(output).append(h("p", { class: `assist-note ${kind}`, role: "status" }, text));
}

function unavailableText(error) {
  if (error instanceof ApiError && (error.status === 503 || error.status === 429)) return error.message;
  return `The assistant could not answer: ${error.message}`;
}

// One request at a time per button, without disabling it: a disabled button would drop keyboard focus.
function busyButton(button, busyLabel, run) {
  const label = button.textContent;
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    button.textContent = busyLabel;
    try {
      await run();
    } finally {
      button.removeAttribute("aria-busy");
      button.textContent = label;
    }
  });
}

// "Suggested: high (82%) because: ..." with Apply and Ignore. Ignore only hides it.
export function renderSuggestion(output, suggestion, { onApply, applyLabel = "Apply" }) {
  const box = h(
    "div",
    { class: "suggestion", role: "group", "aria-label": "Priority suggestion" },
    h("p", { class: "suggestion-text" }, suggestionText(suggestion)),
    h(
      "div",
      { class: "assist-actions" },
      h("button", { type: "button", "data-role": "apply-suggestion", onclick: () => onApply(suggestion) }, applyLabel),
      h("button", { type: "button", class: "link-button", "data-role": "ignore-suggestion", onclick: () => clear(output) }, "Ignore"),
    ),
  );
  clear(output).append(box);
}

// The create form's "Suggest priority": asks POST /api/assist/priority/ about the text typed so far.
export function attachPrioritySuggester({ button, form, output }) {
  busyButton(button, "Thinking…", async () => {
    const title = form.elements.title.value.trim();
    if (!title) {
      note(output, "Write a title first: the suggestion reads the title and description.");
      return;
    }
    let dueAt = null;
    try {
      dueAt = fromLocalInputValue(form.elements.due_at.value);
    } catch (error) {
      note(output, error.message);
      return;
    }
    try {
      const suggestion = await api.post("/api/assist/priority/", {
        title,
        description: form.elements.description.value,
        due_at: dueAt,
      });
      renderSuggestion(output, suggestion, {
        onApply: (chosen) => {
          form.elements.priority.value = chosen.priority;
          clear(output);
          form.elements.priority.focus();
        },
      });
    } catch (error) {
      note(output, unavailableText(error));
    }
  });
}

// "Improve description": the current text and the suggestion side by side; Apply fills the textarea, Discard drops it.
export function attachEnhancer({ button, textarea, output }) {
  busyButton(button, "Improving…", async () => {
    const text = textarea.value;
    if (!text.trim()) {
      note(output, "Write a description first, then ask for a clearer wording.");
      return;
    }
    let result;
    try {
      result = await api.post("/api/assist/enhance/", { text });
    } catch (error) {
      note(output, unavailableText(error));
      return;
    }
    if (!result.changed) {
      note(output, "No clearer wording to suggest: the description already reads well.");
      return;
    }
    const compare = h(
      "div",
      { class: "enhance", role: "group", "aria-label": "Suggested description" },
      h(
        "div",
        { class: "enhance-compare" },
        h("figure", {}, h("figcaption", {}, "Current"), h("p", { class: "enhance-text" }, result.original)),
        h("figure", {}, h("figcaption", {}, "Suggested"), h("p", { class: "enhance-text" }, result.suggestion)),
      ),
      h(
        "div",
        { class: "assist-actions" },
        h(
          "button",
          {
            type: "button",
            "data-role": "apply-enhancement",
            onclick: () => {
              textarea.value = result.suggestion;
              // Forms track edits through input events; a programmatic change must announce itself the same way.
              textarea.dispatchEvent(new Event("input", { bubbles: true }));
              clear(output);
              textarea.focus();
            },
          },
          "Apply",
        ),
        h("button", { type: "button", class: "link-button", onclick: () => { clear(output); textarea.focus(); } }, "Discard"),
      ),
    );
    clear(output).append(compare);
  });
}
