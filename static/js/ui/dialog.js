// The pages' own confirmation dialog, instead of the browser's confirm() and prompt(): a
// native <dialog> opened as a modal, styled like the page, that says what would happen, names
// what it affects and does nothing unless confirmed. Escape or "Cancel" close it without doing
// anything; the focus goes back to the control that opened it.
//
// data-testid: confirm-dialog, confirm-dialog-title, confirm-dialog-text,
//   confirm-dialog-items (confirm-dialog-item), confirm-dialog-typed, confirm-dialog-ok,
//   confirm-dialog-cancel

import { el } from "../common.js";

let opened = 0; // for unique ids

/**
 * Ask before doing something. title, text: what would happen; items: lines naming what it
 * affects (optional); confirm, cancel: the buttons' labels; danger: a red confirm button;
 * typed: {label, expected}: the confirm button works only once `expected` is typed.
 * Resolves true when confirmed, false when cancelled.
 */
export function confirmDialog({ title, text, items = [], confirm, cancel, danger = false, typed = null }) {
  opened += 1;
  const ids = { title: `confirm-dialog-title-${opened}`, text: `confirm-dialog-text-${opened}`, typed: `confirm-dialog-typed-${opened}` };
  const opener = document.activeElement;
  const ok = el("button", {
    type: "submit", value: "confirm", class: `button ${danger ? "button--danger" : "button--primary"}`,
    text: confirm, "data-testid": "confirm-dialog-ok",
  });
  const no = el("button", {
    type: "button", class: "button button--ghost", text: cancel, "data-testid": "confirm-dialog-cancel",
    autofocus: typed ? null : true,
  });
  const field = typed ? el("input", {
    id: ids.typed, class: "input", type: "text", autocomplete: "off", spellcheck: "false", autofocus: true,
    "data-testid": "confirm-dialog-typed",
  }) : null;
  const form = el("form", { method: "dialog", class: "dialog__form" },
    el("h2", { id: ids.title, class: "dialog__title", text: title, "data-testid": "confirm-dialog-title" }),
    text ? el("p", { id: ids.text, class: "dialog__text", text, "data-testid": "confirm-dialog-text" }) : null,
    items.length ? el("ul", { class: "dialog__items", "data-testid": "confirm-dialog-items" },
      items.map((item) => el("li", { class: "dialog__item", text: item, "data-testid": "confirm-dialog-item" }))) : null,
    field ? el("div", { class: "field" }, el("label", { class: "field__label", for: ids.typed, text: typed.label }), field) : null,
    el("div", { class: "dialog__buttons" }, no, ok));
  const dialog = el("dialog", {
    class: "dialog", "aria-labelledby": ids.title, "aria-describedby": text ? ids.text : null, "data-testid": "confirm-dialog",
  }, form);
  if (field) {
    const matches = () => field.value.trim() === String(typed.expected).trim();
    ok.disabled = !matches();
    field.addEventListener("input", () => {
      ok.disabled = !matches();
    });
  }
  no.addEventListener("click", () => dialog.close("cancel"));
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      const confirmed = dialog.returnValue === "confirm";
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
      resolve(confirmed);
    }, { once: true });
    document.body.append(dialog);
    dialog.showModal();
  });
}
