// Staff commands for one workshop over the socket (`{"workshop_id", …}`), shared by the staff
// board and its panels. Nothing is changed locally: the change comes back as a numbered
// broadcast and is drawn from the BoardState like on every other screen.

import { emit } from "../common.js";
import { staffErrorText } from "../ui/errors.js";
import { say } from "./controls.js";

export class StaffCommands {
  /** socket: the page's socket; toast: where refusals show unless a feedback line is given. */
  constructor(socket, workshopId, toast) {
    this.socket = socket;
    this.workshopId = workshopId;
    this.toast = toast;
  }

  /** Send a command; resolves the ack data, or null after showing the refusal in `feedback`
   * (a feedback line) or else in the toast. */
  async send(name, payload = {}, feedback = null) {
    try {
      return await this.request(name, payload);
    } catch (error) {
      const text = staffErrorText(error);
      if (feedback) say(feedback, "error", text);
      else this.toast.show(text, { kind: "error" });
      return null;
    }
  }

  /** Send a command; resolves the ack data, rejects with the ApiError. */
  request(name, payload = {}) {
    return emit(this.socket, name, { workshop_id: this.workshopId, ...payload });
  }
}
