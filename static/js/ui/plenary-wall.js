// The plenary's cards as a wall on a projector (the venue PC's /plenary/<id>, and the
// moderator's plenary page while presenting): the same fitter as a workshop's projector
// (ui/wall.js): every card whole on the screen, the type as large as lets all cards fit, and
// when even the smallest readable type does not hold them, page after page, turning every
// 15 s by themselves (→/← or PageDown/PageUp by hand), with "page 2 of 3" below. A long item
// (a 500-character idea, a cluster of many) is two columns wide.
//
// The smallest type (density "xs") is 2vh for an item's title: 22 px at 1080p.

import { coalesced, t } from "../common.js";
import { Pager, Wall } from "./wall.js";

const PAGE_MS = 15000;
const TEXTS = ".pcard__title, .pcard__idea";
const SOFT_HYPHEN = "\u00ad";
const LONG_ITEM = 220; // characters: a longer item is two columns wide
const DENSITIES = ["xl", "l", "lm", "m", "s", "xs"];
// Columns at least this share of the screen's width wide, per density.
const COLUMN = { xl: 0.42, l: 0.3, lm: 0.3, m: 0.23, s: 0.19, xs: 0.155 };

const hyphenator = () => (window.createHyphenator && window.hyphenationPatternsDe1996
  ? window.createHyphenator(window.hyphenationPatternsDe1996, { minWordLength: 6 }) : null);

/** The characters of a card's title and ideas. */
function textLength(card) {
  return [...card.querySelectorAll(TEXTS)].reduce((sum, text) => sum + text.textContent.length, 0);
}

/** Card styles the wall sets, cleared when the list flows as a plain grid again. */
function release(card) {
  card.hidden = false;
  for (const property of ["width", "left", "top", "maxHeight"]) card.style[property] = "";
  delete card.dataset.page;
  delete card.dataset.span;
  card.classList.remove("is-narrow");
  for (const text of card.querySelectorAll(TEXTS)) text.style.fontSize = "";
}

export class PlenaryWall {
  /**
   * list: the <ol> of plenary cards; indicator: the "page 2 of 3" element;
   * active(): whether the cards are on the wall now (else they flow as a grid).
   */
  constructor(list, indicator, { active = () => true } = {}) {
    this.list = list;
    this.active = active;
    this.wall = new Wall(list, {
      densities: DENSITIES,
      columns: (density, width) => Math.floor(width / (window.innerWidth * COLUMN[density])),
      texts: TEXTS,
      hyphenate: hyphenator(),
      squeeze: 1,
      squeezeEvery: true,
    });
    this.pager = new Pager(indicator, {
      text: (page, pages) => t("wall_page", { n: page, total: pages }),
      intervalMs: PAGE_MS,
      onTurn: (page) => this.turnTo(page),
    });
    this.fit = coalesced(() => this.layout(), requestAnimationFrame);
    window.addEventListener("resize", this.fit);
    new ResizeObserver(this.fit).observe(list);
    if (document.fonts) document.fonts.ready.then(this.fit);
    document.addEventListener("keydown", (event) => {
      if (!this.active() || event.target.closest("input, select, textarea")) return;
      if (event.key === "ArrowRight" || event.key === "PageDown") this.pager.turn(1, true);
      else if (event.key === "ArrowLeft" || event.key === "PageUp") this.pager.turn(-1, true);
    });
  }

  /** Lay the cards out (once per frame, however often asked); off the wall: a plain grid. */
  layout() {
    const on = this.active();
    this.list.classList.toggle("pj-wall", on);
    if (!on) {
      for (const card of this.list.children) release(card);
      this.hyphenateCrowded();
      this.pager.set(1);
      return;
    }
    for (const card of this.list.children) card.dataset.span = textLength(card) > LONG_ITEM ? "2" : "1";
    this.pager.set(this.wall.layout());
    this.wall.show(this.pager.page);
  }

  /** In the grid: a text with a word wider than its card gets soft hyphens (the word then
   * breaks at a syllable, with a hyphen, not anywhere). Reads all, then writes. */
  hyphenateCrowded() {
    const hyphenate = this.wall.hyphenate;
    if (!hyphenate) return;
    this.list.classList.add("is-measuring");
    const crowded = [...this.list.querySelectorAll(TEXTS)].filter((text) => text.scrollWidth > text.clientWidth + 1);
    this.list.classList.remove("is-measuring");
    for (const text of crowded) if (!text.textContent.includes(SOFT_HYPHEN)) text.textContent = hyphenate(text.textContent);
  }

  turnTo(page) {
    this.wall.show(page);
    this.list.classList.remove("is-turning");
    void this.list.offsetWidth; // start the fade anew
    this.list.classList.add("is-turning");
  }
}
