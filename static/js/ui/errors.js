// What the moderator's screens tell the user when the server refused a request or did not
// answer: one sentence per error code (ApiError.code: the protocol's codes plus "network" and
// "timeout"), with a fallback. The lookup is errorText in common.js; the phone's sentences are
// with its views (phone-steps.js, and the composer in feed.js), one-off forms (sign-in, join)
// give their own.

import { errorText, t } from "../common.js";

/** A failed API call or socket ack on a moderator page. */
export function moderatorErrorText(error) {
  return errorText(error, {
    network: t("network_error"),
    timeout: t("timeout"),
    invalid: t("field_invalid"),
    not_found: t("not_found"),
    forbidden: t("not_found"),
    other: t("server_error"),
  });
}

/** A refused staff command (the staff board, the cockpit). */
export function staffErrorText(error) {
  return errorText(error, {
    locked: t("staff_error_locked"),
    forbidden: t("staff_error_forbidden"),
    conflict: t("staff_error_conflict"),
    other: moderatorErrorText(error),
  });
}
