// One compact actions menu per idea card on the staff board, instead of a row of buttons: a
// "⋯" button (aria-haspopup="menu", aria-expanded) that opens a list of actions (role="menu",
// role="menuitem"), drawn only while open. Keyboard as in the WAI-ARIA menu button pattern:
// Enter, Space or ↓ open it on the first action, ↑ on the last; ↑ ↓ Home End move; Escape
// closes it and returns to the button; Tab closes it and moves on. A click elsewhere closes it.
//
// The menu is `position: fixed` next to its button (placed by `place`), so it is never cut by
// a column of the wall or split across two; it follows the page when it scrolls.

import { el } from "../common.js";

const GAP = 4;
const MARGIN = 8;

/** The "⋯" button of a card. onOpen(at): open the menu with the focus on "first" or "last"
 * (or nowhere: null); onClose(): close it. */
export function menuButton({ label, open, menuId, focusKey, onOpen, onClose }) {
  return el("button", {
    type: "button",
    class: "scard__menu-button",
    text: "⋯",
    title: label,
    "aria-label": label,
    "aria-haspopup": "menu",
    "aria-expanded": open ? "true" : "false",
    "aria-controls": open ? menuId : null,
    "data-testid": "idea-menu",
    "data-focus-key": focusKey,
    draggable: "false",
    on: {
      // Read at the click: the menu may have been closed without drawing the card again.
      click: (click) => (click.currentTarget.getAttribute("aria-expanded") === "true" ? onClose() : onOpen("first")),
      keydown: (key) => {
        if (key.key !== "ArrowDown" && key.key !== "ArrowUp") return;
        key.preventDefault();
        onOpen(key.key === "ArrowUp" ? "last" : "first");
      },
    },
  });
}

/**
 * The open menu. items: [{text, testid, focusKey, run, danger, dataset}]; onClose(focusButton):
 * close it, giving the focus back to the button when asked.
 */
export function menuList({ id, label, items, onClose }) {
  const buttons = items.map((item) => el("button", {
    type: "button",
    role: "menuitem",
    tabindex: "-1",
    class: `scard__menu-item${item.danger ? " scard__menu-item--danger" : ""}`,
    text: item.text,
    dataset: item.dataset || {},
    "data-testid": item.testid,
    "data-focus-key": item.focusKey,
    on: {
      click: () => {
        onClose(true);
        item.run();
      },
    },
  }));
  const menu = el("div", { id, role: "menu", class: "scard__menu", "aria-label": label, "data-testid": "idea-menu-list", draggable: "false" }, buttons);
  menu.addEventListener("keydown", (key) => {
    const at = buttons.indexOf(document.activeElement);
    const go = (index) => {
      key.preventDefault();
      buttons[(index + buttons.length) % buttons.length].focus();
    };
    if (key.key === "ArrowDown") go(at + 1);
    else if (key.key === "ArrowUp") go(at < 0 ? -1 : at - 1);
    else if (key.key === "Home") go(0);
    else if (key.key === "End") go(-1);
    else if (key.key === "Escape") {
      key.preventDefault();
      onClose(true);
    } else if (key.key === "Tab") {
      onClose(true); // the focus is on the button now; the Tab moves on from there
    }
  });
  return menu;
}

/** Put the open menu below its button, right-aligned with it, or above when there is no
 * room below; always inside the window. */
export function place(menu, button) {
  if (!menu || !button || !menu.isConnected) return;
  const anchor = button.getBoundingClientRect();
  const width = menu.offsetWidth;
  const height = menu.offsetHeight;
  const below = anchor.bottom + GAP;
  const top = below + height <= window.innerHeight - MARGIN ? below : Math.max(MARGIN, anchor.top - GAP - height);
  const left = Math.min(Math.max(MARGIN, anchor.right - width), window.innerWidth - MARGIN - width);
  menu.style.top = `${Math.round(top)}px`;
  menu.style.left = `${Math.round(left)}px`;
}
