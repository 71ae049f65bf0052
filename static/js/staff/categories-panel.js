// The board's column editor (the "categories" method): rename, reorder, add and remove the
// columns, then save them all at once (set_categories). While edited, the rows are this
// panel's own; "discard" goes back to the workshop's.
//
// data-testid: categories-editor, category-row, category-title, category-up, category-down,
//   category-remove, category-add, categories-save, categories-reset, categories-feedback

import { $, el, t } from "../common.js";
import { button, say } from "./controls.js";

const CATEGORY_LIMIT = 12;
const MAX_TITLE = 120;

export class CategoriesPanel {
  /** ctx: commands (StaffCommands), state (BoardState). */
  constructor({ commands, state }) {
    this.commands = commands;
    this.state = state;
    this.section = $("#categories-section");
    this.list = $("#category-rows");
    this.add = $("#category-add");
    this.reset = $("#categories-reset");
    this.feedback = $("#categories-feedback");
    this.rows = null; // the rows while edited, else null (= the workshop's)
    this.signature = null; // the rows the fields show
    this.add.addEventListener("click", () => this.addRow());
    $("#categories-form").addEventListener("submit", (submit) => {
      submit.preventDefault();
      this.save();
    });
    this.reset.addEventListener("click", () => {
      this.rows = null;
      say(this.feedback, "info", "");
      this.render();
    });
  }

  /** The workshop's columns as editable rows. */
  stored() {
    return (this.state.workshop.categories || []).map((c) => ({ id: c.id, title: c.title }));
  }

  /** The rows being edited (taken from the workshop on the first change). */
  editable() {
    if (this.rows === null) this.rows = this.stored();
    return this.rows;
  }

  addRow() {
    const rows = this.editable();
    if (rows.length >= CATEGORY_LIMIT) return;
    rows.push({ id: null, title: "" });
    this.render();
    const inputs = this.list.querySelectorAll('[data-testid="category-title"]');
    if (inputs.length) inputs[inputs.length - 1].focus();
  }

  async save() {
    const rows = this.editable().map((row) => ({ ...row, title: row.title.trim() }));
    if (rows.some((row) => !row.title || row.title.length > MAX_TITLE)) {
      say(this.feedback, "error", t("category_invalid"));
      return;
    }
    const categories = rows.map((row) => (row.id ? { id: row.id, title: row.title } : { title: row.title }));
    say(this.feedback, "info", t("saving"));
    const data = await this.commands.send("set_categories", { categories }, this.feedback);
    if (!data) return;
    this.rows = null;
    say(this.feedback, "success", t("saved"));
    this.render();
  }

  render() {
    const isCategories = this.state.workshop.template === "categories";
    this.section.hidden = !isCategories;
    if (!isCategories) return;
    const rows = this.rows ?? this.stored();
    this.add.disabled = rows.length >= CATEGORY_LIMIT;
    this.reset.hidden = this.rows === null;
    // Rebuild the fields only when the rows changed, not while someone types in them.
    const signature = JSON.stringify(rows);
    if (signature === this.signature) return;
    this.signature = signature;
    const focused = [...this.list.querySelectorAll("input")].indexOf(document.activeElement);
    this.list.replaceChildren(...rows.map((row, index) => this.row(row, index, rows.length)));
    const again = this.list.querySelectorAll("input")[focused];
    if (focused >= 0 && again) again.focus();
  }

  row(row, index, count) {
    const id = `category-title-${index}`;
    const input = el("input", { id, class: "input input--compact", type: "text", maxlength: MAX_TITLE, required: true, "data-testid": "category-title" });
    input.value = row.title;
    input.addEventListener("input", () => {
      const all = this.editable();
      all[index].title = input.value;
      this.signature = JSON.stringify(all);
      this.reset.hidden = false;
    });
    const move = (delta) => {
      const all = this.editable();
      const [item] = all.splice(index, 1);
      all.splice(index + delta, 0, item);
      this.render();
    };
    const remove = () => {
      this.editable().splice(index, 1);
      this.render();
    };
    const n = index + 1;
    return el("li", { class: "sb-category", "data-testid": "category-row" },
      el("label", { class: "visually-hidden", for: id, text: t("category_label", { n }) }),
      input,
      button("↑", "category-up", () => move(-1), { kind: "ghost", label: t("category_up", { n }), disabled: index === 0 }),
      button("↓", "category-down", () => move(1), { kind: "ghost", label: t("category_down", { n }), disabled: index === count - 1 }),
      button("✕", "category-remove", remove, { kind: "danger-ghost", label: t("category_remove", { n }) }));
  }
}
