// A word-level diff of two texts, for showing what a suggested wording changes before it is applied.
// Pure functions: wordDiff() computes, renderDiff() builds nodes through h(), so every piece of text stays a text node.

import { h } from "./dom.js";

// Past this many cells (tokens x tokens) the middle is shown as one removal and one addition instead of a word diff:
// the common prefix and suffix still line up, and the browser never spends seconds on a 10,000-character text.
const MAX_CELLS = 2_000_000;

function tokenize(text) {
  return text.match(/\s+|[^\s]+/g) || [];
}

function push(parts, op, text) {
  const last = parts[parts.length - 1];
  if (last && last.op === op) last.text += text;
  else parts.push({ op, text });
}

// [{op: "same" | "del" | "ins", text}] turning `before` into `after`, adjacent parts of one op merged.
export function wordDiff(before, after) {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const parts = [];
  if (start) push(parts, "same", a.slice(0, start).join(""));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if ((midA.length + 1) * (midB.length + 1) > MAX_CELLS) {
    if (midA.length) push(parts, "del", midA.join(""));
    if (midB.length) push(parts, "ins", midB.join(""));
  } else {
    // Longest common subsequence, filled from the end so the walk below goes forward.
    const width = midB.length + 1;
    const lcs = new Uint32Array((midA.length + 1) * width);
    for (let i = midA.length - 1; i >= 0; i -= 1) {
      for (let j = midB.length - 1; j >= 0; j -= 1) {
        lcs[i * width + j] =
          midA[i] === midB[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length && j < midB.length) {
      if (midA[i] === midB[j]) {
        push(parts, "same", midA[i]);
        i += 1;
        j += 1;
      } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
        push(parts, "del", midA[i]);
        i += 1;
      } else {
        push(parts, "ins", midB[j]);
        j += 1;
      }
    }
    if (i < midA.length) push(parts, "del", midA.slice(i).join(""));
    if (j < midB.length) push(parts, "ins", midB.slice(j).join(""));
  }
  if (endA < a.length) push(parts, "same", a.slice(endA).join(""));
  return parts;
}

// <p class="enhance-diff"> with <del class="diff-removed"> and <ins class="diff-added"> around changed words.
export function renderDiff(before, after) {
  return h(
    "p",
    { class: "enhance-text enhance-diff", "data-role": "enhance-diff" },
    wordDiff(before, after).map((part) => {
      if (part.op === "del") return h("del", { class: "diff-removed" }, part.text);
      if (part.op === "ins") return h("ins", { class: "diff-added" }, part.text);
      return part.text;
    }),
  );
}
