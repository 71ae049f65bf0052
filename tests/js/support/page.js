// A tiny stand-in for the browser globals the page modules touch when they load and run:
// `document` (the page's language and its JSON data blocks), `window` (events, crypto) and
// `localStorage`. Import it first, before any module of static/js:
//
//   import { storage } from "./support/page.js";
//
// The data blocks are empty, so `t("key")` answers the key itself: tests assert on keys.

/** localStorage in memory; `failing = true` makes every write throw (a full quota). */
export class MemoryStorage {
  constructor() {
    this.values = new Map();
    this.failing = false;
  }

  getItem(key) {
    return this.values.has(key) ? this.values.get(key) : null;
  }

  setItem(key, value) {
    if (this.failing) throw new Error("QuotaExceededError");
    this.values.set(key, String(value));
  }

  removeItem(key) {
    if (this.failing) throw new Error("QuotaExceededError");
    this.values.delete(key);
  }

  clear() {
    this.values.clear();
  }
}

export const storage = new MemoryStorage();
const blocks = new Map(); // id → JSON text of a <script type="application/json"> block

/** Put a JSON data block into the page (before the module that reads it is imported). */
export function setDataBlock(id, value) {
  blocks.set(id, { textContent: JSON.stringify(value) });
}

globalThis.document = {
  documentElement: { lang: "de" },
  getElementById: (id) => blocks.get(id) ?? null,
};
globalThis.window = Object.assign(new EventTarget(), { crypto: globalThis.crypto });
globalThis.localStorage = storage;

/** Another tab changed `key` in localStorage. */
export function storageEventFor(key) {
  window.dispatchEvent(Object.assign(new Event("storage"), { key }));
}

/** Let pending promise callbacks (acks, awaits) run. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}
