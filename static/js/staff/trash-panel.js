// Removed ideas (deleted or merged; only the staff receive them), newest first, each with
// "restore".
//
// data-testid: trash-count, trash-list, trash-item (data-idea-id), trash-restore, trash-empty

import { $, el, t } from "../common.js";
import { ideaText, snippet } from "../ui/board-text.js";
import { button } from "./controls.js";

const QUOTE = 40;

export class TrashPanel {
  /** ctx: commands (StaffCommands), state (BoardState), announce(text). */
  constructor({ commands, state, announce }) {
    Object.assign(this, { commands, state, announce });
  }

  render() {
    const trash = this.state.trash();
    $("#trash-count").textContent = String(trash.length);
    $("#trash-empty").hidden = trash.length > 0;
    $("#trash-list").replaceChildren(...trash.map((idea) => this.item(idea)));
  }

  item(idea) {
    const into = idea.merged_into ? this.state.ideasById.get(idea.merged_into) : null;
    const why = idea.merged_into ? t("trash_merged", { text: snippet(into ? into.text : "", QUOTE) }) : t("trash_deleted");
    return el("li", { class: "sb-trash", "data-testid": "trash-item", dataset: { ideaId: String(idea.id) } },
      el("p", { class: "sb-trash__text", text: ideaText(idea) }),
      el("p", { class: "sb-trash__why", text: why }),
      button(t("restore"), "trash-restore", () => this.restore(idea.id), { label: `${t("restore")}: ${snippet(ideaText(idea), QUOTE)}` }));
  }

  async restore(ideaId) {
    const data = await this.commands.send("restore_idea", { idea_id: ideaId });
    if (data) this.announce(t("idea_restored"));
  }
}
