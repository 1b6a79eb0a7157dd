// AI assist, always as a suggestion the user accepts or ignores: nothing here saves a task. "Apply" only fills a
// form control; the user's own Save (or the one explicit Apply of a stored suggestion) is the change.
// When the assistant is unavailable (503, e.g. not configured) its reason is shown calmly in place: the rest of the
// form keeps working.

import { api, ApiError } from "./api.js";
import { renderDiff } from "./diff.js";
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

// The guard names the kinds of facts a refused answer changed ("number, negation"): say so, without the texts.
const FACT_KINDS = {
  number: "a number", percent: "a percentage", currency: "an amount", version: "a version", time: "a time",
  date: "a date", month: "a month", weekday: "a weekday", negation: "a negation", modality: "a must/can/may",
  bound: "a limit or precondition", outcome: "an outcome", name: "a name", place: "a place", host: "a host name",
  email: "an e-mail address", url: "a link", identifier: "an identifier", issue: "an issue number",
  file: "a file name", code: "a code span", list_item: "a list item",
};

function unavailableText(error) {
  if (error instanceof ApiError && error.status === 503 && Array.isArray(error.body?.changes)) {
    const kinds = [...new Set(error.body.changes.map((change) => FACT_KINDS[change.kind] || "a fact"))];
    return `${error.message} It changed ${kinds.join(", ")}. Your text is unchanged.`;
  }
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

// "Improve description": the suggestion as a word diff against the current text (removed words struck through,
// added ones marked); Apply fills the textarea, Discard drops it. The server has already refused any answer that
// changes a fact, but the user still sees every changed word before applying.
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
    // Against the text as it is now: the user may have typed on while the suggestion was prepared.
    const current = textarea.value;
    const compare = h(
      "div",
      { class: "enhance", role: "group", "aria-label": "Suggested description" },
      h("figure", { class: "enhance-changes" }, h("figcaption", {}, "Suggested changes"), renderDiff(current, result.suggestion)),
      current === result.original
        ? null
        : h("p", { class: "assist-note calm" }, "You edited the text meanwhile: Apply replaces it with the suggestion."),
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
