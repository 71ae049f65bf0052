// The moderator's sign-in, shared by every moderator page: the token from
// POST /api/v1/auth/token lives in localStorage ("pinnwand:moderator"); a page without it (or
// with a revoked/expired one) sends the moderator to /moderator?next=<this page>.
//
// data-testid: moderator-name, logout (in the top bar)

import { $, api, store } from "./common.js";

const KEY = "pinnwand:moderator";

export function getAuth() {
  const auth = store.get(KEY);
  if (!auth || !auth.token) return null;
  if (auth.expires_at && new Date(auth.expires_at).getTime() < Date.now()) {
    store.remove(KEY);
    return null;
  }
  return auth;
}

export function setAuth(auth) {
  store.set(KEY, auth);
}

export function clearAuth() {
  store.remove(KEY);
}

/** Send the browser to the sign-in page, coming back here afterwards. */
export function toLogin() {
  const next = `${location.pathname}${location.search}`;
  location.assign(`/moderator?next=${encodeURIComponent(next)}`);
}

/** The signed-in moderator, or a redirect to the sign-in page (returns null then). */
export function requireAuth() {
  const auth = getAuth();
  if (!auth) toLogin();
  return auth;
}

/** The JSON API with the moderator's token; a 401 signs out and goes to the sign-in page. */
export async function modApi(path, options = {}) {
  const auth = getAuth();
  try {
    return await api(path, { ...options, token: auth && auth.token });
  } catch (error) {
    if (error.code === "unauthorized") {
      clearAuth();
      toLogin();
    }
    throw error;
  }
}

/** Show the moderator's name and a working sign-out button in the top bar. */
export function setupTopbar(auth, { onLogout } = {}) {
  const bar = $("#moderator-bar");
  if (!bar || !auth) return;
  $("#moderator-name").textContent = (auth.moderator && (auth.moderator.name || auth.moderator.email)) || "";
  bar.hidden = false;
  $("#logout").onclick = async () => {
    try {
      await api("/api/v1/auth/logout", { method: "POST", token: auth.token });
    } catch {
      /* revoked or offline: forget it locally anyway */
    }
    clearAuth();
    if (onLogout) onLogout();
    else location.assign("/moderator");
  };
}
