// The board's message panel: send a short message to the workshop's phones and projector;
// the last five sent are listed, each with "Withdraw" (the screens stop showing it).
//
// data-testid: message-form, message-text, message-send, message-list, message-item
//   (data-message-id, data-withdrawn), message-withdraw, message-feedback

import { $, el, formatTime, keepFocus, t } from "../common.js";
import { say } from "./controls.js";

const MAX_LENGTH = 200;
const SHOWN = 5;

export class MessagePanel {
  /** ctx: commands (StaffCommands), state (BoardState). */
  constructor({ commands, state }) {
    this.commands = commands;
    this.state = state;
    this.text = $("#message-text");
    this.counter = $("#message-counter");
    this.feedback = $("#message-feedback");
    this.send = $("#message-send");
    this.list = $("#message-list");
    this.text.addEventListener("input", () => this.count());
    $("#message-form").addEventListener("submit", (submit) => {
      submit.preventDefault();
      this.post();
    });
  }

  count() {
    this.counter.textContent = this.text.value ? t("chars_left", { n: MAX_LENGTH - this.text.value.length }) : "";
  }

  async post() {
    const value = this.text.value.trim();
    if (!value || value.length > MAX_LENGTH) {
      say(this.feedback, "error", t("message_invalid"));
      this.text.focus();
      return;
    }
    this.send.disabled = true;
    const data = await this.commands.send("send_message", { text: value }, this.feedback);
    this.send.disabled = false;
    if (!data) return;
    this.text.value = "";
    this.count();
    say(this.feedback, "success", t("message_sent"));
  }

  async withdraw(message, button) {
    button.disabled = true;
    const data = await this.commands.send("withdraw_message", { message_id: message.id }, this.feedback);
    button.disabled = false;
    if (data) say(this.feedback, "success", t("message_withdrawn_done"));
  }

  item(message) {
    const withdrawn = Boolean(message.withdrawn);
    const withdraw = withdrawn ? null : el("button", {
      class: "button button--ghost button--small sb-message__withdraw", type: "button", "data-testid": "message-withdraw",
      "data-focus-key": `message-withdraw-${message.id}`, text: t("message_withdraw"),
    });
    if (withdraw) withdraw.addEventListener("click", () => this.withdraw(message, withdraw));
    return el("li", {
      class: `sb-message${withdrawn ? " sb-message--withdrawn" : ""}`, "data-testid": "message-item",
      dataset: { messageId: String(message.id), withdrawn: withdrawn ? "true" : "false" },
    },
    el("p", { class: "sb-message__text", text: withdrawn ? t("message_withdrawn") : message.text }),
    el("p", { class: "sb-message__meta" },
      message.from ? el("span", { text: message.from }) : null,
      message.sent_at ? el("time", { datetime: message.sent_at, text: formatTime(message.sent_at) }) : null,
      withdraw));
  }

  render() {
    const messages = [...(this.state.messages || [])].slice(-SHOWN).reverse();
    keepFocus(this.list, () => this.list.replaceChildren(...messages.map((message) => this.item(message))));
    this.list.hidden = messages.length === 0;
  }
}
