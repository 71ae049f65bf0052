// The board's settings panel: private writing (and revealing the hidden ideas), who clusters,
// the dot budget and the dots per target, secret votes. Every change is saved at once
// (configure_workshop); the fields follow what the server holds.
//
// data-testid: settings-form (data-private-writing, data-votes-secret, data-vote-budget,
//   data-vote-max, data-cluster-by: the stored settings), setting-private-writing,
//   reveal-ideas, setting-cluster-by, setting-vote-budget, setting-vote-max,
//   setting-votes-secret, settings-feedback

import { $, plural, t } from "../common.js";
import { say } from "./controls.js";

const MIN_DOTS = 1;
const MAX_DOTS = 20;
const DEFAULT_DOTS = 3;

export class SettingsPanel {
  /** ctx: commands (StaffCommands), state (BoardState). */
  constructor({ commands, state }) {
    this.commands = commands;
    this.state = state;
    this.form = $("#settings-form");
    this.feedback = $("#settings-feedback");
    this.fields = {
      privateWriting: $("#setting-private-writing"),
      votesSecret: $("#setting-votes-secret"),
      clusterBy: $("#setting-cluster-by"),
      voteBudget: $("#setting-vote-budget"),
      voteMax: $("#setting-vote-max"),
    };
    this.reveal = $("#reveal-ideas");
    const { privateWriting, votesSecret, clusterBy, voteBudget, voteMax } = this.fields;
    privateWriting.addEventListener("change", () => this.configure({ private_writing: privateWriting.checked }));
    votesSecret.addEventListener("change", () => this.configure({ votes_secret: votesSecret.checked }));
    clusterBy.addEventListener("change", () => this.configure({ cluster_by: clusterBy.value }));
    voteBudget.addEventListener("change", () => this.configureDots(voteBudget, "vote_budget"));
    voteMax.addEventListener("change", () => this.configureDots(voteMax, "vote_max_per_target"));
    this.reveal.addEventListener("click", () => this.revealIdeas());
  }

  async configure(fields) {
    say(this.feedback, "info", t("saving"));
    const data = await this.commands.send("configure_workshop", fields, this.feedback);
    if (data) say(this.feedback, "success", t("saved"));
    this.render();
  }

  configureDots(input, field) {
    const value = Number(input.value);
    if (!Number.isInteger(value) || value < MIN_DOTS || value > MAX_DOTS) {
      input.setAttribute("aria-invalid", "true");
      say(this.feedback, "error", t("setting_number_invalid"));
      return;
    }
    input.removeAttribute("aria-invalid");
    this.configure({ [field]: value });
  }

  async revealIdeas() {
    const data = await this.commands.send("reveal_ideas", {}, this.feedback);
    if (data) say(this.feedback, "success", plural("ideas_revealed", data.revealed || 0));
  }

  render() {
    const settings = this.state.workshop.settings || {};
    // What the server holds (as broadcast), for anyone who checks.
    Object.assign(this.form.dataset, {
      privateWriting: String(Boolean(settings.private_writing)),
      votesSecret: String(Boolean(settings.votes_secret)),
      voteBudget: String(settings.vote_budget ?? ""),
      voteMax: String(settings.vote_max_per_target ?? ""),
      clusterBy: settings.cluster_by || "",
    });
    const { privateWriting, votesSecret, clusterBy, voteBudget, voteMax } = this.fields;
    // A field someone is typing in keeps its value (a checkbox always follows the server).
    const sync = (input, property, value) => {
      if (document.activeElement !== input || input.type === "checkbox") input[property] = value;
    };
    sync(privateWriting, "checked", Boolean(settings.private_writing));
    sync(votesSecret, "checked", Boolean(settings.votes_secret));
    sync(clusterBy, "value", settings.cluster_by || "staff");
    if (!voteBudget.getAttribute("aria-invalid")) sync(voteBudget, "value", String(settings.vote_budget ?? DEFAULT_DOTS));
    if (!voteMax.getAttribute("aria-invalid")) sync(voteMax, "value", String(settings.vote_max_per_target ?? DEFAULT_DOTS));
    const hidden = this.state.ideas().filter((idea) => idea.hidden).length;
    this.reveal.disabled = hidden === 0;
    this.reveal.textContent = hidden ? plural("reveal_ideas", hidden) : t("reveal_ideas_none");
  }
}
