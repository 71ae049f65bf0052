// Who is connected to the workshop now: asked once joined (get_presence), then kept current
// by the `presence` broadcasts.
//
// data-testid: presence-count, presence-list, presence-person, presence-empty

import { $, el, t } from "../common.js";

export class PresencePanel {
  /** ctx: commands (StaffCommands). */
  constructor({ commands }) {
    this.commands = commands;
    this.people = [];
  }

  /** Ask the server who is here (the socket joined the workshop's room). */
  async load() {
    try {
      const data = await this.commands.request("get_presence");
      this.show(data.people || []);
    } catch {
      /* not available (yet): the presence broadcasts fill the list */
    }
  }

  /** Show these people, by name. */
  show(people) {
    this.people = [...people].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    $("#presence-count").textContent = String(this.people.length);
    $("#presence-list").replaceChildren(...this.people.map((person) => el("li", { class: "sb-person", "data-testid": "presence-person", text: person.name || t("anonymous") })));
    $("#presence-empty").hidden = this.people.length > 0;
  }
}
