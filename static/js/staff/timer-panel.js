// The board's countdown panel: start (with "pause the board at the end"), pause, resume, one
// more minute, reset; the clock ticks between broadcasts (tick()).
//
// data-testid: timer-display (data-state), timer-clock, timer-minutes, timer-lock-at-end,
//   timer-start, timer-pause, timer-resume, timer-add, timer-reset, timer-feedback

import { $, t } from "../common.js";
import { minutesToSeconds, showStaffCountdown } from "../ui/clock.js";
import { say } from "./controls.js";

const ONE_MINUTE = 60;

export class TimerPanel {
  /** ctx: commands (StaffCommands), state (BoardState). */
  constructor({ commands, state }) {
    this.commands = commands;
    this.state = state;
    this.minutes = $("#timer-minutes");
    this.lockAtEnd = $("#timer-lock-at-end");
    this.feedback = $("#timer-feedback");
    this.display = { box: $("#timer-display"), clock: $("#timer-clock"), note: $("#timer-note") };
    this.buttons = { start: $("#timer-start"), pause: $("#timer-pause"), resume: $("#timer-resume"), add: $("#timer-add"), reset: $("#timer-reset") };
    $("#timer-form").addEventListener("submit", (submit) => {
      submit.preventDefault();
      this.start();
    });
    this.buttons.pause.addEventListener("click", () => this.command("pause"));
    this.buttons.resume.addEventListener("click", () => this.command("resume"));
    this.buttons.add.addEventListener("click", () => this.command("add", { seconds: ONE_MINUTE }));
    this.buttons.reset.addEventListener("click", () => this.command("reset"));
  }

  timer() {
    return this.state.workshop.timer || { state: "idle" };
  }

  start() {
    const seconds = minutesToSeconds(this.minutes.value);
    if (seconds === null) {
      this.minutes.setAttribute("aria-invalid", "true");
      say(this.feedback, "error", t("timer_minutes_invalid"));
      this.minutes.focus();
      return;
    }
    this.minutes.removeAttribute("aria-invalid");
    // Whether the board pauses at the end is chosen when the timer starts.
    this.command("start", { seconds, lock_at_end: this.lockAtEnd.checked });
  }

  command(command, extra = {}) {
    say(this.feedback, "info", "");
    return this.commands.send("set_timer", { command, ...extra }, this.feedback);
  }

  render() {
    const { state, lock_at_end: lockAtEnd } = this.timer();
    const running = state === "running";
    const paused = state === "paused";
    this.buttons.start.disabled = running || paused;
    this.buttons.pause.disabled = !running;
    this.buttons.resume.disabled = !paused;
    this.buttons.add.disabled = !(running || paused);
    this.buttons.reset.disabled = state === "idle";
    this.lockAtEnd.disabled = running || paused;
    if (running || paused) this.lockAtEnd.checked = Boolean(lockAtEnd);
    this.tick();
  }

  /** Move the clock on (called several times a second). */
  tick() {
    if (this.state.workshop) showStaffCountdown(this.display, this.timer(), this.state.timerRemaining());
  }
}
