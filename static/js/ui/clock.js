// Time on the staff screens (the board's timer panel, every cockpit card): the countdown
// display, its spoken form, the minutes typed into a timer field, and how long ago something
// happened. The clock itself ("4:05", "04:05") is formatClock in common.js: the phone and the
// projector show it too.

import { LANG, formatClock, t } from "../common.js";

const TIMER_MIN_SECONDS = 10; // the server's limits for set_timer
const TIMER_MAX_SECONDS = 7200;
const URGENT_SECONDS = 30;
const relativeFormat = new Intl.RelativeTimeFormat(LANG, { numeric: "auto" });

/** A countdown as screen readers say it ("4 minutes 59 seconds"). */
export function spokenClock(seconds) {
  const whole = Math.max(0, Math.ceil(seconds || 0));
  return t("timer_spoken", { m: Math.floor(whole / 60), s: whole % 60 });
}

/** Minutes typed into a timer field ("5", "2,5") as seconds within the server's limits, or
 * null when it is no positive number. */
export function minutesToSeconds(value) {
  const minutes = Number(String(value).replace(",", "."));
  if (!Number.isFinite(minutes) || minutes <= 0) return null;
  return Math.min(TIMER_MAX_SECONDS, Math.max(TIMER_MIN_SECONDS, Math.round(minutes * 60)));
}

/** What a staff timer display shows for a workshop's `timer` with `remaining` seconds left:
 * its state, the clock ("–:––" while idle), the note under it, whether the end is near. */
export function staffCountdown(timer, remaining) {
  const state = (timer && timer.state) || "idle";
  const notes = { idle: t("timer_idle"), running: t("timer_running"), paused: t("timer_paused"), ended: t("timer_ended") };
  return {
    state,
    clock: formatClock(state === "idle" ? null : state === "ended" ? 0 : remaining, { pad: true }),
    note: notes[state] || "",
    urgent: state === "running" && typeof remaining === "number" && remaining <= URGENT_SECONDS,
  };
}

/** Draw a staff countdown into its display: `box` (data-state, is-urgent), `clock`, `note`
 * (their text is only touched when it changes: this runs several times a second). */
export function showStaffCountdown({ box, clock, note }, timer, remaining) {
  const shown = staffCountdown(timer, remaining);
  box.dataset.state = shown.state;
  box.classList.toggle("is-urgent", shown.urgent);
  if (clock.textContent !== shown.clock) clock.textContent = shown.clock;
  if (note.textContent !== shown.note) note.textContent = shown.note;
  return shown;
}

/** "vor 3 Minuten" / "3 minutes ago"; t("just_now") under a minute, t("never") without one. */
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
