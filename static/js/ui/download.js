// Files the moderator pages download (the report in every format, the contact list): fetched
// with the moderator's token, which a plain link cannot carry, then saved by the browser under
// the server's file name.

import { ApiError, el, t } from "../common.js";

const KEEP_URL_MS = 10000;

/** Fetch `url` with the bearer `token` and save the answer as a file (the name from its
 * Content-Disposition, else `fallbackName`). Rejects with an ApiError carrying the server's
 * code and message (code "network" when the server cannot be reached). */
export async function download(url, { token, fallbackName }) {
  let response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
  } catch {
    throw new ApiError("network", t("network_error"));
  }
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    const error = (data && data.error) || {};
    throw new ApiError(error.code || "internal", error.message || response.statusText, { status: response.status });
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
  const href = URL.createObjectURL(await response.blob());
  const link = el("a", { href, download: name ? name[1] : fallbackName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), KEEP_URL_MS);
}
