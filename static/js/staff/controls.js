// Small controls of the staff screens (the board's panels and cards, the cockpit): buttons
// and the feedback line under a form.

import { el } from "../common.js";

/** A button, small and secondary unless told otherwise; `label` is its accessible name,
 * `focusKey` lets a redraw give the focus back to it (keepFocus in common.js). */
export function button(text, testid, onClick, { kind = "secondary", label = null, focusKey = null, disabled = false } = {}) {
  return el("button", {
    type: "button",
    class: `button button--${kind} button--small`,
    text,
    "aria-label": label,
    "data-testid": testid,
    "data-focus-key": focusKey,
    disabled,
    on: { click: onClick },
  });
}

/** Show `text` in a feedback line (kind: "info" | "success" | "error"); no text hides it. */
export function say(node, kind, text) {
  if (!node) return;
  node.className = `feedback feedback--${kind}`;
  node.dataset.state = kind;
  node.textContent = text;
  node.hidden = !text;
}
