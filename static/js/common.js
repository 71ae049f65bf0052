// Shared helpers of every page: translated strings, DOM building (textContent only),
// the JSON API, Socket.IO connections with acks, storage and formatting.
//
// Strings come from the page's <script type="application/json" id="i18n"> block, which the
// server renders from the gettext catalogues (app/i18n.py); nothing here holds UI text.

const messages = readJson("i18n") || {};

/** The page's language ("de" or "en"), from <html lang>. */
export const LANG = document.documentElement.lang || "de";

/** Parse the JSON data block with this id (read via textContent, never executed). */
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

export function readJson(id) {
  const node = document.getElementById(id);
  if (!node) return null;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return null;
  }
}

/** A translated string with {placeholders} filled in. */
export function t(key, vars = {}) {
  const text = messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

const pluralRules = new Intl.PluralRules(LANG);
const numberFormat = new Intl.NumberFormat(LANG);

/** A counted phrase: key_one / key_other chosen by the language's plural rules. */
export function plural(key, n, vars = {}) {
  const form = pluralRules.select(n);
  const name = `${key}_${form}` in messages ? `${key}_${form}` : `${key}_other`;
  return t(name, { ...vars, n: numberFormat.format(n) });
}

export function formatNumber(n) {
  return numberFormat.format(n);
}

const timeFormat = new Intl.DateTimeFormat(LANG, { hour: "2-digit", minute: "2-digit" });
const dateFormat = new Intl.DateTimeFormat(LANG, { weekday: "short", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const relativeFormat = new Intl.RelativeTimeFormat(LANG, { numeric: "auto" });

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

/** "vor 3 Minuten" / "3 minutes ago"; t("just_now") under a minute. */
export function formatRelative(iso, now = Date.now()) {
  if (!iso) return t("never");
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Number.isNaN(seconds)) return "";
  if (Math.abs(seconds) < 60) return t("just_now");
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relativeFormat.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relativeFormat.format(hours, "hour");
  return relativeFormat.format(Math.round(hours / 24), "day");
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

/** Show exactly one of several elements (by id), hide the others. */
export function showOnly(ids, visible) {
  for (const id of ids) {
    const node = document.getElementById(id);
    if (node) node.hidden = id !== visible;
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

/** Call the JSON API; resolves the parsed body (null for 204), rejects with ApiError. */
export async function api(path, { method = "GET", body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin", cache: "no-store" });
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

/**
 * A Socket.IO connection authenticated with `token` (websocket first, polling as fallback).
 * When the device reports that the network is back (`online`), a reconnection waiting out its
 * back-off (up to 8 s) is started at once instead.
 */
export function connect(token) {
  // window.io comes from /assets/vendor/socket.io/socket.io.min.js (a classic script: deferred
  // in the page, or fetched with loadScript before the first connect).
  const socket = window.io({
    auth: { token },
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnectionDelay: 800,
    reconnectionDelayMax: 8000,
    timeout: 15000,
  });
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

/** Keep the URL fragment (e.g. a projector's #token) when switching the language. */
export function keepFragmentOnLanguageLinks() {
  for (const link of document.querySelectorAll('[data-testid="lang-switch"] a')) {
    link.addEventListener("click", () => {
      if (location.hash) link.setAttribute("href", `${link.getAttribute("href").split("#")[0]}${location.hash}`);
    });
  }
}

/** Copy text to the clipboard; resolves true when it worked. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain http on a venue network has no Clipboard API: fall back to a selected field.
    const field = el("textarea", { class: "visually-hidden", "aria-hidden": "true" });
    field.value = text;
    document.body.append(field);
    field.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    field.remove();
    return copied;
  }
}

/** A fresh op_id for create_idea (a UUID; a random fallback on old browsers / plain http). */
export function newOpId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Put `node` (a script or a stylesheet link, same origin) into <head>; resolves once it loaded,
 * rejects when `url` could not be fetched (the failed element is removed, so a later call
 * tries again). */
function appendLoaded(node, url) {
  return new Promise((resolve, reject) => {
    node.addEventListener("load", () => resolve(), { once: true });
    node.addEventListener("error", () => {
      node.remove();
      reject(new ApiError("network", `${url} could not be loaded`));
    }, { once: true });
    document.head.append(node);
  });
}

/** Fetch and run a classic script; see appendLoaded. */
export function loadScript(src) {
  return appendLoaded(el("script", { src }), src);
}

/** Apply a stylesheet; see appendLoaded. */
export function loadStylesheet(href) {
  return appendLoaded(el("link", { rel: "stylesheet", href }), href);
}
