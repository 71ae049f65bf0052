// The projector's wall: whole cards in columns, page after page. No card is split across
// columns, none is hidden behind a "+ N more": what does not fit on the screen goes onto the
// next page, and the pages turn calmly by themselves.
//
// `placeCards` is the arithmetic (heights in, places out; tests/js/wall.test.js); `Wall`
// measures a list's cards in the page and puts them in place; `Pager` turns the pages.

/** The index of the shortest column (the leftmost of equals). */
function shortest(tops) {
  let best = 0;
  for (let i = 1; i < tops.length; i += 1) if (tops[i] < tops[best]) best = i;
  return best;
}

/** Where a card `span` columns wide goes highest: `{column, top}` (the leftmost of equals). */
function lowestRun(tops, span) {
  let best = { column: 0, top: Infinity };
  for (let column = 0; column + span <= tops.length; column += 1) {
    const top = Math.max(...tops.slice(column, column + span));
    if (top < best.top) best = { column, top };
  }
  return best;
}

/**
 * Place cards (`{height, freshColumn?, span?}`, in reading order) into `columns` columns of
 * `height` pixels with `gap` between cards, page after page. Each page takes, in order, every
 * card still to place that fits into the shortest column (so a smaller card may fill the room
 * that a taller one before it left; the taller one opens the next page). A card with `span` n
 * (a long text) is n columns wide and goes where those columns are lowest. A card with
 * `freshColumn` (the continuation of a cluster) only goes to the top of an empty column; a
 * card taller than the wall only into an empty column (the caller clamps it). Every card is
 * placed exactly once. Returns `{places: [{page, column, top}], pages}`.
 */
export function placeCards(cards, { columns, height, gap = 0 }) {
  const count = Math.max(1, columns);
  const places = new Array(cards.length);
  let remaining = cards.map((_, index) => index);
  let page = 0;
  while (remaining.length) {
    const tops = new Array(count).fill(0);
    const later = [];
    let waiting = false; // a continuation waits for the next page: so do its later pieces
    for (const index of remaining) {
      const card = cards[index];
      const span = Math.min(count, Math.max(1, card.span || 1));
      const { column, top } = card.freshColumn
        ? { column: tops.indexOf(0), top: 0 }
        : span > 1 ? lowestRun(tops, span) : { column: shortest(tops), top: tops[shortest(tops)] };
      const fits = column >= 0 && (top === 0 || top + card.height <= height);
      if (!fits || (waiting && card.freshColumn)) {
        later.push(index);
        waiting = waiting || Boolean(card.freshColumn) || Boolean(cards[index + 1] && cards[index + 1].freshColumn);
        continue;
      }
      places[index] = { page, column, top };
      for (let i = column; i < column + span; i += 1) tops[i] = top + card.height + gap;
    }
    remaining = later;
    page += 1;
  }
  return { places, pages: Math.max(1, page) };
}

const MIN_WORD_SCALE = 0.6;
const SOFT_HYPHEN = "\u00ad";
const MAX_DOTS = 12; // more pages are only counted

/** How many of `count` columns the card spans (`data-span`, default 1). */
function spanOf(card, count) {
  return Math.min(count, Math.max(1, Number(card.dataset.span) || 1));
}

/** Whether a text box shows a word wider than itself (it would stick out or break). */
function overflowsSideways(node) {
  return node.scrollWidth > node.clientWidth + 1;
}

export class Wall {
  /**
   * list: the element whose children are the cards (positioned by the wall).
   * densities: from the largest type to the smallest readable one (`data-density`).
   * columns(density, width): how many columns at that density.
   * texts: selector of the text boxes in a card whose longest word must fit (see fitWords);
   * hyphenate(text): the text with soft hyphens (optional).
   * split(card, height): optional; at the smallest density, turns a card taller than the
   *   wall into several (each piece after the first with `data-fresh-column`).
   * squeeze: how many more columns to try at the smallest density before paging (default 0);
   * squeezeEvery: try them at every density, before a smaller type.
   */
  constructor(list, {
    densities, columns, texts = null, split = null, hyphenate = null, squeeze = 0, squeezeEvery = false,
  }) {
    Object.assign(this, { list, densities, columns, texts, split, hyphenate, squeeze, squeezeEvery });
    this.pages = 1;
  }

  get cards() {
    return [...this.list.children];
  }

  /** Size the cards for `count` columns of the list's width (a card with `data-span` n, n
   * columns wide); the column width in pixels. */
  sizeCards(count, width, gap) {
    const columnWidth = (width - gap * (count - 1)) / count;
    for (const card of this.cards) {
      const span = spanOf(card, count);
      card.hidden = false;
      card.style.width = `${columnWidth * span + gap * (span - 1)}px`;
      card.style.maxHeight = "";
      card.classList.remove("is-narrow");
      if (this.texts) for (const text of card.querySelectorAll(this.texts)) text.style.fontSize = "";
    }
    if (this.texts) this.fitWords();
    return columnWidth;
  }

  /** A text whose longest word is wider than its card first gets soft hyphens (German
   * patterns, `hyphenate`, where the page has them: the word then breaks at a syllable with a
   * visible hyphen), then type just small enough (down to MIN_WORD_SCALE of its size); its
   * card is `is-narrow` (a word may break anywhere) only if even that is too wide. Reads all,
   * then writes all: a few layouts, however many cards. */
  fitWords() {
    const texts = this.cards.flatMap((card) => [...card.querySelectorAll(this.texts)]);
    let crowded = texts.filter(overflowsSideways);
    if (this.hyphenate) {
      for (const text of crowded) if (!text.textContent.includes(SOFT_HYPHEN)) text.textContent = this.hyphenate(text.textContent);
      crowded = crowded.filter(overflowsSideways);
    }
    const sizes = crowded.map((text) => ({
      text, scale: text.clientWidth / text.scrollWidth, size: parseFloat(getComputedStyle(text).fontSize),
    }));
    for (const { text, scale, size } of sizes) {
      text.style.fontSize = `${Math.max(MIN_WORD_SCALE, scale * 0.97) * size}px`;
    }
    const still = crowded.filter(overflowsSideways);
    for (const text of still) text.closest(".pj-wall > *").classList.add("is-narrow");
  }

  /** Lay the cards out at the largest density whose cards fit on one page, else at the
   * smallest one on several pages; at the smallest (with `squeezeEvery` at each), `squeeze`
   * more columns of the same type are tried before a page more (a narrower column, but all at
   * a glance). Returns the number of pages. */
  layout() {
    const width = this.list.clientWidth;
    const height = this.list.clientHeight;
    if (!width || !height || this.list.children.length === 0) {
      this.pages = 1;
      return this.pages;
    }
    const gap = parseFloat(getComputedStyle(this.list).columnGap) || 0;
    for (const [index, density] of this.densities.entries()) {
      const last = index === this.densities.length - 1;
      this.list.dataset.density = density;
      const count = Math.max(1, this.columns(density, width));
      const more = last || this.squeezeEvery ? this.squeeze : 0;
      const tries = Array.from({ length: 1 + more }, (_, extra) => count + extra);
      let best = null;
      for (const columns of tries) {
        const attempt = this.attempt(columns, width, height, gap, last);
        if (!best || attempt.pages < best.pages) best = attempt;
        if (best.pages === 1) break;
      }
      if (best.pages === 1 || last) {
        if (best !== this.lastAttempt) this.attempt(best.columns, width, height, gap, last);
        this.place(best.places, best.columnWidth, gap, height);
        this.pages = best.pages;
        return best.pages;
      }
    }
    return this.pages;
  }

  /** Size the cards for `columns` columns and place them (not yet moved): `{columns,
   * columnWidth, places, pages}`. At the smallest density a card taller than the wall is split. */
  attempt(columns, width, height, gap, last) {
    let columnWidth = this.sizeCards(columns, width, gap);
    if (last && this.split) {
      for (const card of this.cards) if (card.offsetHeight > height) this.split(card, height);
      columnWidth = this.sizeCards(columns, width, gap);
    }
    const cards = this.cards.map((card) => ({
      height: Math.min(card.offsetHeight, height),
      freshColumn: card.dataset.freshColumn === "true",
      span: spanOf(card, columns),
    }));
    this.lastAttempt = { columns, columnWidth, ...placeCards(cards, { columns, height, gap }) };
    return this.lastAttempt;
  }

  place(places, columnWidth, gap, height) {
    this.cards.forEach((card, index) => {
      const { page, column, top } = places[index];
      card.style.left = `${column * (columnWidth + gap)}px`;
      card.style.top = `${top}px`;
      card.style.maxHeight = `${height}px`;
      card.dataset.page = String(page);
    });
  }

  /** Show the cards of page `page` (0-based) only. */
  show(page) {
    for (const card of this.cards) card.hidden = card.dataset.page !== String(page);
    this.list.dataset.page = String(page);
  }
}

export class Pager {
  /** indicator: the element that shows "page 2 of 3" (`text(page, pages)` words it);
   * onTurn(page): show that page. The pages turn every `intervalMs` by themselves. */
  constructor(indicator, { text, onTurn, intervalMs = 15000 }) {
    Object.assign(this, { indicator, text, onTurn, intervalMs });
    this.page = 0;
    this.pages = 1;
    this.timer = null;
  }

  /** The wall now has `pages` pages: stay on the page shown if it is still there. */
  set(pages) {
    this.pages = Math.max(1, pages);
    this.page = Math.min(this.page, this.pages - 1);
    this.render();
    if (this.pages > 1 && this.timer === null) this.restart();
    if (this.pages === 1) this.stop();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  restart() {
    this.stop();
    this.timer = setInterval(() => this.turn(1), this.intervalMs);
  }

  /** One page on (`step` 1) or back (-1), round and round; by hand the clock starts anew. */
  turn(step, byHand = false) {
    if (this.pages < 2) return;
    this.page = (this.page + step + this.pages) % this.pages;
    if (byHand) this.restart();
    this.render();
    this.onTurn(this.page);
  }

  render() {
    const node = this.indicator;
    node.dataset.page = String(this.page + 1);
    node.dataset.pages = String(this.pages);
    const words = document.createElement("span");
    words.className = "pj-pages__text";
    words.textContent = this.text(this.page + 1, this.pages);
    node.replaceChildren(words, ...Array.from({ length: this.pages > 1 && this.pages <= MAX_DOTS ? this.pages : 0 }, (_, i) => {
      const dot = document.createElement("span");
      dot.className = `pj-pages__dot${i === this.page ? " is-current" : ""}`;
      return dot;
    }));
  }
}
