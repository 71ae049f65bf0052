// Shared helpers of every page: translated strings, formatting (numbers, times, dates, a
// countdown's clock), DOM building (textContent only; lists kept by key across redraws),
// storage, the JSON API and its errors, Socket.IO connections with acks, the status banner and
// the toast, loading code later. (Helpers that only some screens need are in ui/.)
//
// Strings come from the page's <script type="application/json" id="i18n"> block, which the
// server renders from the gettext catalogues (app/i18n.py); nothing here holds UI text.

/** The page's language ("de" or "en"), from <html lang>. */
export const LANG = document.documentElement.lang || "de";

const pluralRules = new Intl.PluralRules(LANG);
const numberFormat = new Intl.NumberFormat(LANG);

/** Translated strings (a key → text object, e.g. a page's JSON data block): `t(key, vars)` with
 * {placeholders} filled in (the key itself when it is missing), and `plural(key, n, vars)`,
 * which picks key_one / key_other by the language's plural rules ({n} formatted). */
export function textsFrom(messages) {
  const t = (key, vars = {}) => (messages[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  const plural = (key, n, vars = {}) => {
    const form = `${key}_${pluralRules.select(n)}`;
    return t(form in messages ? form : `${key}_other`, { ...vars, n: numberFormat.format(n) });
  };
  return { t, plural };
}

/** The page's strings: its <script type="application/json" id="i18n"> block. */
export const { t, plural } = textsFrom(readJson("i18n") || {});

export function formatNumber(n) {
  return numberFormat.format(n);
}

/** A function that runs `work` once on the next `schedule` tick however often it is called
 * before then (many changes arriving together are drawn once). */
export function coalesced(work, schedule = queueMicrotask) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    schedule(() => {
      queued = false;
      work();
    });
  };
}

/** Parse the JSON data block with this id (read via textContent, never executed). */
export function readJson(id) {
  const node = document.getElementById(id);
  if (!node) return null;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return null;
  }
}

const timeFormat = new Intl.DateTimeFormat(LANG, { hour: "2-digit", minute: "2-digit" });
const dateFormat = new Intl.DateTimeFormat(LANG, { weekday: "short", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "14:05" in the page's language and the device's time zone. */
export function formatTime(iso) {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? timeFormat.format(date) : "";
}

/** A calendar date ("YYYY-MM-DD") in the page's language, e.g. "Sa., 21. November 2026". */
export function formatDate(isoDate) {
  if (!isoDate) return "";
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : dateFormat.format(date);
}

/** Seconds as a countdown's clock, rounded up so that 0:00 means the time is up: "4:05",
 * "1:02:03"; `pad` gives two-digit minutes ("04:05", the staff screens' fixed width); "–:––"
 * without seconds. */
export function formatClock(seconds, { pad = false } = {}) {
  if (typeof seconds !== "number" || Number.isNaN(seconds)) return "–:––";
  const whole = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  if (h) return `${h}:${String(m).padStart(2, "0")}:${s}`;
  return `${pad ? String(m).padStart(2, "0") : m}:${s}`;
}

/**
 * Build an element. attrs: plain attributes, plus `text` (textContent), `class`,
 * `dataset` (object) and `on` (object of listeners). Children: nodes or strings (text nodes).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "on") for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export const MAX_IDEA_LENGTH = 500; // as the server's CreateIdea

/** An idea's text as edited in `field`, trimmed; null (and the problem shown under the field,
 * the field focused) when it is empty or longer than an idea may be. */
export function editedIdeaText(field, problem) {
  const text = field.value.trim();
  if (text && text.length <= MAX_IDEA_LENGTH) return text;
  problem.textContent = text ? t("idea_invalid") : t("idea_empty");
  problem.hidden = false;
  field.focus();
  return null;
}

/** Show exactly one of several elements (by id), hide the others. */
export function showOnly(ids, visible) {
  for (const id of ids) {
    const node = document.getElementById(id);
    if (node) node.hidden = id !== visible;
  }
}

/** The children of `list`, kept by key, for lists drawn again on every change: a child is
 * rebuilt only when what it shows changed, so focus, typed text and running animations
 * survive unrelated changes. */
export class KeyedList {
  constructor(list) {
    this.list = list;
    this.known = new Map(); // key → {node, signature}
  }

  /**
   * Show `entries` ({key, signature, build()}) in this order. A child whose signature is
   * unchanged, or that `hold(key)` keeps (e.g. being edited), stays as it is; the others are
   * built anew. The list's children are touched only when their order or set changed.
   */
  update(entries, hold = () => false) {
    const next = new Map();
    for (const { key, signature, build } of entries) {
      const old = this.known.get(key);
      if (old && (old.signature === signature || hold(key))) next.set(key, old);
      else next.set(key, { node: build(), signature });
    }
    this.known = next;
    const nodes = [...next.values()].map((entry) => entry.node);
    const children = this.list.children;
    if (nodes.length !== children.length || nodes.some((node, i) => children[i] !== node)) {
      this.list.replaceChildren(...nodes);
    }
    return nodes.length;
  }

  /** Build this child anew on the next update. */
  forget(key) {
    this.known.delete(key);
  }

  get size() {
    return this.known.size;
  }

  clear() {
    this.known.clear();
    this.list.replaceChildren();
  }
}

/** Run `render()` (which may rebuild the controls inside `root`) and give the focus back to
 * the control with the same data-focus-key, keeping a text field's selection. When that
 * control is disabled now, `instead(key)` may name another one to take the focus. */
export function keepFocus(root, render, { instead = null } = {}) {
  const active = document.activeElement;
  const key = active && root.contains(active) ? active.dataset.focusKey : undefined;
  const selection = key !== undefined && typeof active.selectionStart === "number"
    ? [active.selectionStart, active.selectionEnd] : null;
  render();
  if (key === undefined) return;
  const find = (wanted) => [...root.querySelectorAll("[data-focus-key]")].find((node) => node.dataset.focusKey === wanted);
  let again = find(key);
  if (again && again.disabled && instead) again = find(instead(key));
  if (!again || again.disabled || again === document.activeElement) return;
  again.focus({ preventScroll: true });
  if (selection && typeof again.setSelectionRange === "function") {
    try {
      again.setSelectionRange(...selection);
    } catch {
      /* not a text field */
    }
  }
}

/** localStorage that never throws (private mode, full quota). */
export const store = {
  get(key) {
    try {
      const raw = localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* storage unavailable: the page still works for this visit */
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      /* ignore */
    }
  },
};

/** An error from the API or a socket ack: `code` as in the protocol, plus "network"/"timeout". */
export class ApiError extends Error {
  constructor(code, message, { status = 0, fields = {}, retryAfter = null } = {}) {
    super(message || code);
    this.code = code;
    this.status = status;
    this.fields = fields;
    this.retryAfter = retryAfter; // seconds, when the server said how long to wait
  }
}

/** What to tell the user about a failed request: `texts[error.code]`, else `texts.other`
 * (the sentences of each screen: ui/errors.js). */
export function errorText(error, texts) {
  const code = error && error.code;
  const text = code && code !== "other" ? texts[code] : null;
  return typeof text === "string" ? text : texts.other;
}

/** Call the JSON API; resolves the parsed body (null for 204), rejects with ApiError. */
export async function api(path, { method = "GET", body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  return apiAnswer(fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin", cache: "no-store" }));
}

/** The answer of an API request already sent (`sent`: fetch's promise), as `api` resolves or
 * rejects it. */
export async function apiAnswer(sent) {
  let response;
  try {
    response = await sent;
  } catch {
    throw new ApiError("network", t("network_error"));
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    const retryAfter = Number(response.headers.get("Retry-After")) || null;
    throw new ApiError(error.code || "internal", error.message || t("server_error"), { status: response.status, fields: error.fields || {}, retryAfter });
  }
  return data;
}

// How every page's Socket.IO connection behaves: websocket first, polling as fallback (the
// phone page's first script opens its transport with the same options: phone-start.js).
const SOCKET_OPTIONS = {
  transports: ["websocket", "polling"],
  tryAllTransports: true,
  reconnectionDelay: 800,
  reconnectionDelayMax: 8000,
  timeout: 15000,
};

/**
 * A Socket.IO connection authenticated with `token`: on `transport` (a Socket.IO Manager
 * opened before the token was known, used for one connection only) when given, else on a
 * new one. When the device reports that the network is back (`online`), a
 * reconnection waiting out its back-off (up to 8 s) is started at once instead.
 */
export function connect(token, { transport = null } = {}) {
  // window.io comes from /assets/vendor/socket.io/socket.io.min.js (a classic script: deferred
  // in the page, or fetched with loadScript before the first connect).
  const socket = transport ? transport.socket("/", { auth: { token } }) : window.io({ auth: { token }, ...SOCKET_OPTIONS });
  window.addEventListener("online", () => {
    // `active`: still meant to be connected (not refused, not closed on purpose).
    if (!socket.connected && socket.active) socket.disconnect().connect();
  });
  return socket;
}

/** Emit with an ack; resolves the ack's data, rejects with ApiError (incl. "timeout"). */
export function emit(socket, name, payload, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(name, payload, (err, ack) => {
      if (err) return reject(new ApiError("timeout", t("timeout")));
      if (ack && ack.ok) return resolve(ack.data || {});
      const error = (ack && ack.error) || {};
      const retryAfter = Number.isFinite(error.retry_after) ? error.retry_after : null;
      return reject(new ApiError(error.code || "internal", error.message || t("server_error"), { fields: error.fields || {}, retryAfter }));
    });
  });
}

/**
 * A status banner (role=status): show(kind, text, {spinner, detail}) with kind "info" |
 * "warning" | "error" | "success" (`detail`: a second, smaller line); hide(). A success message
 * hides itself after a few seconds.
 */
export function statusBanner(node) {
  let timer = null;
  return {
    show(kind, text, { spinner = false, detail = "" } = {}) {
      clearTimeout(timer);
      node.className = `status status--${kind}`;
      node.dataset.state = kind;
      const message = detail
        ? el("span", { class: "status__text" }, el("strong", { class: "status__title", text }), el("span", { class: "status__detail", text: detail }))
        : el("span", { text });
      node.replaceChildren(spinner ? el("span", { class: "spinner", "aria-hidden": "true" }) : "", message);
      node.hidden = false;
      if (kind === "success") timer = setTimeout(() => this.hide(), 3000);
    },
    hide() {
      clearTimeout(timer);
      node.hidden = true;
      node.dataset.state = "ok";
      node.replaceChildren();
    },
  };
}

const TOAST_MS = 8000;

/**
 * The short note at the bottom of a screen ("Idea withdrawn" – Undo): one at a time, gone after
 * a while. Its element stays in the page (a live region that is always there is announced
 * reliably); `data-open` shows it (.toast in steps.css and staff.css).
 * data-testid: toast-text, toast-undo (inside the page's data-testid="toast")
 */
export class Toast {
  /**
   * root: the toast's element. options: closable (a ✕ button, labelled t("close")), noteMs
   * (how long a note shows; one with "Undo" always shows 8 s), undoClass (the Undo button's
   * classes).
   */
  constructor(root, { closable = false, noteMs = TOAST_MS, undoClass = "toast__undo" } = {}) {
    this.root = root;
    this.noteMs = noteMs;
    this.timer = null;
    this.undo = null;
    this.text = el("span", { class: "toast__text", "data-testid": "toast-text" });
    this.undoButton = el("button", {
      type: "button", class: undoClass, text: t("undo"), "data-testid": "toast-undo", hidden: true,
      on: { click: () => this.runUndo() },
    });
    const close = closable
      ? el("button", { type: "button", class: "toast__close", text: "✕", "aria-label": t("close"), on: { click: () => this.hide() } })
      : null;
    root.replaceChildren(this.text, this.undoButton, close || "");
  }

  /** Show `text`; kind: "info" | "error"; undo: a function the "Undo" button runs. */
  show(text, { kind = "info", undo = null } = {}) {
    clearTimeout(this.timer);
    this.root.dataset.kind = kind;
    this.text.textContent = text;
    this.undo = undo;
    this.undoButton.hidden = !undo;
    this.root.dataset.open = "true";
    this.timer = setTimeout(() => this.hide(), undo ? TOAST_MS : this.noteMs);
  }

  hide() {
    clearTimeout(this.timer);
    this.undo = null;
    this.undoButton.hidden = true;
    this.text.textContent = "";
    delete this.root.dataset.open;
  }

  runUndo() {
    const undo = this.undo;
    this.hide();
    if (undo) undo();
  }
}

/**
 * Tie a banner to a socket's connection state: connecting, offline, connected again.
 * `render(state)` (optional) takes over the banner: state is "connecting" | "online" |
 * "reconnected" | "offline".
 */
export function watchConnection(socket, banner, { onConnect, onRefused, render } = {}) {
  let wasConnected = false;
  const show = render || ((state) => {
    if (state === "connecting") banner.show("info", t("connecting"), { spinner: true });
    else if (state === "offline") banner.show("warning", t("offline"), { spinner: true });
    else if (state === "reconnected") banner.show("success", t("reconnected"));
    else banner.hide();
  });
  show("connecting");
  socket.on("connect", () => {
    show(wasConnected ? "reconnected" : "online");
    wasConnected = true;
    if (onConnect) onConnect();
  });
  socket.on("disconnect", (reason) => {
    if (reason === "io client disconnect") return;
    show("offline");
  });
  socket.on("connect_error", (err) => {
    const message = String((err && err.message) || "");
    if (message.startsWith("unauthorized")) {
      socket.disconnect();
      if (onRefused) onRefused(err);
      return;
    }
    if (message.startsWith("unavailable")) {
      // Refused for now (the server cannot reach its database): Socket.IO does not retry a
      // refused connection by itself, so try again when the server said.
      const seconds = Number(err.data && err.data.retry_after) || 5;
      setTimeout(() => { if (!socket.connected) socket.connect(); }, seconds * 1000 + Math.random() * 1000);
    }
    show("offline");
  });
  window.addEventListener("offline", () => show("offline"));
}

/** A fresh op_id for create_idea (a UUID; a random fallback on old browsers / plain http). */
export function newOpId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Put `node` (a script or a stylesheet link, same origin) into <head> (or right after the node
 * `after`); resolves once it loaded,
 * rejects when `url` could not be fetched (the failed element is removed, so a later call
 * tries again). */
function appendLoaded(node, url, after = null) {
  return new Promise((resolve, reject) => {
    node.addEventListener("load", () => resolve(), { once: true });
    node.addEventListener("error", () => {
      node.remove();
      reject(new ApiError("network", `${url} could not be loaded`));
    }, { once: true });
    if (after) after.after(node);
    else document.head.append(node);
  });
}

/** Fetch and run a classic script; see appendLoaded. */
export function loadScript(src) {
  return appendLoaded(el("script", { src }), src);
}

/** Apply a stylesheet; see appendLoaded. With `after` (a node), it goes right after that node
 * instead of at the end of the head: it then wins over the styles before it, not over those
 * after it. */
export function loadStylesheet(href, { after = null } = {}) {
  return appendLoaded(el("link", { rel: "stylesheet", href }), href, after);
}
