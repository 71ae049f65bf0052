// The act step of a later forum of a series (moderators only): the series' open actions of
// earlier forums, each to carry forward (a new due date and a new contributor: carry_action)
// or to drop with a reason (drop_action), and what this workshop decided (the state's
// `carried`, kept up to date by the numbered carried_action_saved changes). The open actions
// come from the register (GET /series/{id}/actions), read again after each decision.
//
// data-testid: series-panel, series-feedback, series-open, series-action (data-action-id),
//   series-carry-due, series-carry-name, series-carry-organisation, series-carry,
//   series-drop-reason, series-drop, series-decided, series-decision (data-action-id,
//   data-kind)

import { $, el, formatDate, newOpId, t } from "../common.js";
import { modApi } from "../moderator-auth.js";
import { button, say } from "./controls.js";

export class SeriesPanel {
  /** ctx: commands (StaffCommands), state (BoardState); `enabled`: a moderator (not a host). */
  constructor({ commands, state }, enabled) {
    Object.assign(this, { commands, state, enabled });
    this.seriesId = null;
    this.open = null; // the series' open actions of other forums, once loaded
    this.loading = false;
    this.decided = 0;
    this.feedback = $("#series-feedback");
  }

  render() {
    const panel = $("#series-panel");
    const workshop = this.state.workshop;
    if (!this.enabled || workshop.step !== "act") {
      panel.hidden = true;
      return;
    }
    const decided = this.state.carried();
    if (this.open === null || decided.length !== this.decided) {
      this.decided = decided.length;
      this.load(workshop.event_id);
    }
    // Shown once the event is known to be in a series (an event in none never shows it).
    panel.hidden = this.seriesId === null;
    if (panel.hidden) return;
    $("#series-decided-title").hidden = decided.length === 0;
    $("#series-decided").replaceChildren(...decided.map((carried) => this.decision(carried)));
    const here = new Set(decided.map((carried) => carried.action_id));
    const open = (this.open || []).filter((action) => !here.has(action.id));
    $("#series-open").replaceChildren(...(this.open !== null && open.length === 0
      ? [el("li", { class: "muted sb-small", text: t("series_none_open") })]
      : open.map((action) => this.card(action))));
  }

  async load(eventId) {
    if (this.loading || !eventId) return;
    this.loading = true;
    try {
      if (this.seriesId === null) {
        const event = await modApi(`/api/v1/events/${eventId}`);
        this.seriesId = event.series_id ?? null;
      }
      if (this.seriesId === null) {
        this.open = [];
      } else {
        const answer = await modApi(`/api/v1/series/${this.seriesId}/actions?status=planned,running`);
        this.open = answer.actions.filter((action) => action.event_id !== eventId);
      }
    } catch {
      say(this.feedback, "error", t("series_load_failed"));
    } finally {
      this.loading = false;
    }
    this.render();
  }

  card(action) {
    const facts = [t("series_from", { event: action.event.title }), action.owner,
      action.owner_organisation && action.owner_organisation !== action.owner ? action.owner_organisation : null,
      action.due ? `${t("action_due")} ${formatDate(action.due)}` : null].filter(Boolean).join(" · ");
    const due = el("input", { class: "input input--compact", type: "date", "aria-label": t("series_new_due"), title: t("series_new_due"), value: action.due || "", "data-testid": "series-carry-due" });
    const name = el("input", { class: "input input--compact", type: "text", maxlength: "80", placeholder: t("series_new_contributor"), "aria-label": t("series_new_contributor"), "data-testid": "series-carry-name" });
    const organisation = el("input", { class: "input input--compact", type: "text", maxlength: "200", placeholder: t("series_new_organisation"), "aria-label": t("series_new_organisation"), "data-testid": "series-carry-organisation" });
    const reason = el("input", { class: "input input--compact", type: "text", maxlength: "1000", placeholder: t("series_reason"), "aria-label": t("series_reason"), "data-testid": "series-drop-reason" });
    const carryOp = newOpId();
    const dropOp = newOpId();
    const carry = () => {
      const contributors = name.value.trim() ? [{ name: name.value.trim(), organisation: organisation.value.trim() || null }] : [];
      this.decide("carry_action", { op_id: carryOp, action_id: action.id, due: due.value || null, contributors });
    };
    const drop = () => {
      if (!reason.value.trim()) {
        say(this.feedback, "error", t("series_reason_missing"));
        reason.focus();
        return;
      }
      this.decide("drop_action", { op_id: dropOp, action_id: action.id, reason: reason.value.trim() });
    };
    return el("li", { class: "sb-action sb-series", "data-testid": "series-action", dataset: { actionId: String(action.id) } },
      el("h3", { class: "sb-action__title", text: action.title }),
      el("p", { class: "muted sb-small", text: facts }),
      el("div", { class: "sb-series__row" }, due, name, organisation, button(t("series_carry"), "series-carry", carry, { kind: "primary", label: `${t("series_carry")}: ${action.title}` })),
      el("div", { class: "sb-series__row" }, reason, button(t("series_drop"), "series-drop", drop, { label: `${t("series_drop")}: ${action.title}` })));
  }

  /** Send a decision; a refusal shows in the panel's feedback line, success clears it. */
  async decide(name, payload) {
    if (await this.commands.send(name, payload, this.feedback)) say(this.feedback, "info", "");
  }

  decision(carried) {
    const action = carried.action;
    const text = carried.kind === "dropped"
      ? t("series_dropped", { reason: carried.reason || "" })
      : (carried.due ? t("series_carried_due", { date: formatDate(carried.due) }) : t("series_carried"));
    const people = (action.contributors || []).map((c) => [c.name, c.organisation].filter(Boolean).join(", ")).filter(Boolean).join("; ");
    return el("li", { class: "sb-action", "data-testid": "series-decision", dataset: { actionId: String(carried.action_id), kind: carried.kind } },
      el("h3", { class: "sb-action__title", text: action.title }),
      el("p", { class: "sb-small", text: `${t("series_from", { event: action.event.title })} · ${text}` }),
      people ? el("p", { class: "muted sb-small", text: people }) : null);
  }
}
