// Pages opened with a secret link, `…#token=<token>` (a projector's, a host's): the token sits
// in the URL fragment, which the browser never sends (no request line, no referrer).

/** The token in the URL fragment, or null. */
export function tokenFromUrl() {
  return new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
}

/** Keep the fragment when the language is switched, and start over when a new link is pasted
 * into the same tab (only the fragment changes, so the page would not load again). */
export function followTokenLink() {
  for (const link of document.querySelectorAll('[data-testid="lang-switch"] a')) {
    link.addEventListener("click", () => {
      if (location.hash) link.setAttribute("href", `${link.getAttribute("href").split("#")[0]}${location.hash}`);
    });
  }
  window.addEventListener("hashchange", () => location.reload());
}
