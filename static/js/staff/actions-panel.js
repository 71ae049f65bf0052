// The actions agreed in the act step: a card per action (owner, due date, prospects, the
// ideas and clusters it comes from, who is in) with edit and delete (undo in the toast, and a
// list of deleted ones to restore), and the form for a new or changed action (save_action
// with an op_id kept while the form is open, so a retried save stores it once).
//
// data-testid: actions-panel, action-list, action-card (data-action-id), action-title,
//   action-edit, action-delete, action-contributors, action-new, action-form,
//   action-form-title, action-form-what, action-form-owner, action-form-due,
//   action-form-prospects, action-form-links, action-link, action-form-save,
//   action-form-cancel, action-form-feedback, actions-deleted, action-restore

import { $, el, formatDate, newOpId, plural, t } from "../common.js";
import { clusterName, ideaText, snippet } from "../ui/board-text.js";
import { button, say } from "./controls.js";

const SHOWN_FROM = ["act", "closed"];
const LINK_QUOTE = 50;
const OPTION_QUOTE = 80;
const FORM_FIELDS = ["title", "what", "owner", "due", "prospects"];

export class ActionsPanel {
  /** ctx: commands (StaffCommands), state (BoardState), announce(text), toast (Toast). */
  constructor({ commands, state, announce, toast }) {
    Object.assign(this, { commands, state, announce, toast });
    this.form = null; // {actionId, opId, links: Set of "idea:<id>" | "cluster:<id>"} while open
    this.fields = Object.fromEntries(FORM_FIELDS.map((name) => [name, $(`#action-form-${name}`)]));
    this.feedback = $("#action-form-feedback");
    $("#action-new").addEventListener("click", () => this.open(null));
    $("#action-form-cancel").addEventListener("click", () => this.close());
    $("#action-form").addEventListener("submit", (submit) => {
      submit.preventDefault();
      this.save();
    });
  }

  render() {
    const actions = this.state.actions();
    const panel = $("#actions-panel");
    panel.hidden = !SHOWN_FROM.includes(this.state.workshop.step) && actions.length === 0;
    if (panel.hidden) return;
    $("#actions-empty").hidden = actions.length > 0;
    $("#action-list").replaceChildren(...actions.map((action) => this.card(action)));
    const deleted = this.state.deletedActions();
    $("#actions-deleted").hidden = deleted.length === 0;
    $("#actions-deleted-list").replaceChildren(...deleted.map((action) => el("li", { class: "sb-trash" },
      el("p", { class: "sb-trash__text", text: action.title }),
      button(t("restore"), "action-restore", () => this.commands.send("restore_action", { action_id: action.id }), { label: `${t("restore")}: ${action.title}` }))));
    if (this.form) this.renderLinks();
  }

  /** What a linked cluster or idea is called (null when it is gone). */
  linkName(kind, id) {
    if (kind === "cluster") {
      const cluster = this.state.clustersById.get(id);
      return cluster ? clusterName(cluster) : null;
    }
    const idea = this.state.ideasById.get(id);
    return idea ? snippet(ideaText(idea), LINK_QUOTE) : null;
  }

  card(action) {
    const links = [
      ...(action.cluster_ids || []).map((id) => this.linkName("cluster", id)),
      ...(action.idea_ids || []).map((id) => this.linkName("idea", id)),
    ].filter(Boolean);
    const contributors = action.contributors || [];
    const facts = [
      action.owner ? [t("action_owner"), action.owner] : null,
      action.due ? [t("action_due"), formatDate(action.due)] : null,
      action.prospects ? [t("action_prospects"), action.prospects] : null,
    ].filter(Boolean);
    return el("li", { class: "sb-action", "data-testid": "action-card", dataset: { actionId: String(action.id) } },
      el("h3", { class: "sb-action__title", text: action.title, "data-testid": "action-title" }),
      action.what ? el("p", { class: "sb-action__what", text: action.what }) : null,
      facts.length ? el("dl", { class: "sb-action__facts" }, facts.map(([term, value]) => el("div", {}, el("dt", { text: term }), el("dd", { text: value })))) : null,
      links.length ? el("p", { class: "sb-action__links" }, el("span", { class: "sb-action__label", text: t("action_links") }), ` ${links.join(" · ")}`) : null,
      el("div", { class: "sb-action__people", "data-testid": "action-contributors" },
        el("span", { class: "sb-action__label", text: plural("contributors", contributors.length) }),
        contributors.length
          ? el("ul", { class: "sb-action__contributors" }, contributors.map((person) => el("li", {},
            el("span", { class: "sb-action__name", text: person.name || t("anonymous") }),
            person.brings ? el("span", { class: "sb-action__brings", text: ` – ${person.brings}` }) : null)))
          : null),
      el("div", { class: "sb-action__tools" },
        button(t("edit"), "action-edit", () => this.open(action), { kind: "ghost", label: `${t("edit")}: ${action.title}` }),
        button(t("delete"), "action-delete", () => this.remove(action), { kind: "danger-ghost", label: `${t("delete")}: ${action.title}` })));
  }

  async remove(action) {
    const data = await this.commands.send("delete_action", { action_id: action.id });
    if (data) this.toast.show(t("action_deleted"), { undo: () => this.commands.send("restore_action", { action_id: action.id }) });
  }

  /** Open the form for `action` (null: a new one). */
  open(action) {
    this.form = {
      actionId: action ? action.id : null,
      opId: newOpId(),
      links: new Set([
        ...((action && action.cluster_ids) || []).map((id) => `cluster:${id}`),
        ...((action && action.idea_ids) || []).map((id) => `idea:${id}`),
      ]),
    };
    $("#action-form-heading").textContent = action ? t("action_edit_heading") : t("action_new_heading");
    for (const name of FORM_FIELDS) this.fields[name].value = (action && action[name]) || "";
    say(this.feedback, "info", "");
    this.renderLinks();
    $("#action-form").hidden = false;
    $("#action-new").hidden = true;
    this.fields.title.focus();
  }

  close() {
    this.form = null;
    $("#action-form").hidden = true;
    $("#action-new").hidden = false;
    $("#action-new").focus();
  }

  /** The checkboxes linking the action to clusters and loose ideas. */
  renderLinks() {
    const { links } = this.form;
    const options = [
      ...this.state.clusters().map((cluster) => ({ key: `cluster:${cluster.id}`, label: clusterName(cluster) })),
      ...this.state.unclustered().map((idea) => ({ key: `idea:${idea.id}`, label: snippet(ideaText(idea), OPTION_QUOTE) })),
    ];
    const list = $("#action-form-links");
    const focused = document.activeElement && list.contains(document.activeElement) ? document.activeElement.value : null;
    list.replaceChildren(...options.map((option) => {
      const box = el("input", { type: "checkbox", value: option.key, "data-testid": "action-link" });
      box.checked = links.has(option.key);
      box.addEventListener("change", () => {
        if (box.checked) links.add(option.key);
        else links.delete(option.key);
      });
      return el("li", {}, el("label", { class: "check check--small" }, box, el("span", { text: option.label })));
    }));
    const again = focused && [...list.querySelectorAll("input")].find((box) => box.value === focused);
    if (again) again.focus();
    $("#action-form-links-empty").hidden = options.length > 0;
  }

  /** The save_action payload of the open form. */
  payload() {
    const { actionId, opId, links } = this.form;
    const ids = (kind) => [...links].filter((key) => key.startsWith(`${kind}:`)).map((key) => Number(key.split(":")[1]));
    const value = (name) => this.fields[name].value.trim();
    const payload = {
      op_id: opId,
      title: value("title"),
      what: value("what"),
      owner: value("owner"),
      prospects: value("prospects"),
      idea_ids: ids("idea"),
      cluster_ids: ids("cluster"),
    };
    const due = this.fields.due.value;
    if (due) payload.due = due;
    else if (actionId) payload.due = null;
    if (actionId) payload.action_id = actionId;
    return payload;
  }

  async save() {
    if (!this.form) return;
    const title = this.fields.title;
    if (!title.value.trim()) {
      title.setAttribute("aria-invalid", "true");
      say(this.feedback, "error", t("field_required"));
      title.focus();
      return;
    }
    title.removeAttribute("aria-invalid");
    say(this.feedback, "info", t("saving"));
    const saveButton = $("#action-form-save");
    saveButton.disabled = true;
    const data = await this.commands.send("save_action", this.payload(), this.feedback);
    saveButton.disabled = false;
    if (!data) return;
    this.close();
    this.announce(t("action_saved"));
  }
}
