import "./support/page.js";

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { placeCards } from "../../static/js/ui/wall.js";

const cards = (...heights) => heights.map((height) => ({ height }));

describe("placing the projector's cards", () => {
  test("the first row fills from the left, then each card goes into the shortest column", () => {
    const { places, pages } = placeCards(cards(100, 300, 100, 50, 50), { columns: 3, height: 1000, gap: 10 });
    assert.equal(pages, 1);
    assert.deepEqual(places.map((p) => [p.column, p.top]), [[0, 0], [1, 0], [2, 0], [0, 110], [2, 110]]);
  });

  test("a card that fits into no column starts the next page, whole", () => {
    const { places, pages } = placeCards(cards(400, 400, 300, 300), { columns: 2, height: 700, gap: 20 });
    assert.equal(pages, 2);
    assert.deepEqual(places.map((p) => [p.page, p.column, p.top]), [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 0]]);
    for (const place of places) assert.ok(place.top + 400 <= 700);
  });

  test("no card ends below the wall unless it is taller than the wall on its own", () => {
    const heights = Array.from({ length: 150 }, (_, i) => 40 + ((i * 37) % 230));
    const { places, pages } = placeCards(cards(...heights), { columns: 5, height: 600, gap: 12 });
    places.forEach((place, i) => assert.ok(place.top + heights[i] <= 600, `card ${i}`));
    assert.ok(pages > 1);
    // Each card once; a page is filled before the next begins (no page but the last is short
    // of a card that would have fit).
    assert.equal(places.filter(Boolean).length, 150);
  });

  test("a continued card starts at the top of an empty column, else on the next page", () => {
    const marked = [{ height: 100 }, { height: 100, freshColumn: true }, { height: 50 }, { height: 100, freshColumn: true }];
    const { places, pages } = placeCards(marked, { columns: 2, height: 500, gap: 0 });
    assert.deepEqual(places.map((p) => [p.page, p.column, p.top]), [[0, 0, 0], [0, 1, 0], [0, 0, 100], [1, 0, 0]]);
    assert.equal(pages, 2);
  });

  test("a card taller than the wall stands in an empty column", () => {
    const { places, pages } = placeCards(cards(100, 900, 10), { columns: 2, height: 500 });
    assert.deepEqual(places.map((p) => [p.page, p.column]), [[0, 0], [0, 1], [0, 0]]);
    assert.equal(pages, 1);
    assert.equal(placeCards(cards(900, 900), { columns: 1, height: 500 }).pages, 2);
  });

  test("a smaller card fills the room a taller one left; the taller one opens the next page", () => {
    const { places, pages } = placeCards(cards(300, 300, 250, 100), { columns: 2, height: 500, gap: 0 });
    assert.deepEqual(places.map((p) => [p.page, p.column, p.top]), [[0, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 300]]);
    assert.equal(pages, 2);
  });

  test("the pieces of a cluster keep their order across pages", () => {
    const pieces = [{ height: 400 }, { height: 400 }, { height: 450 }, { height: 450, freshColumn: true }, { height: 50 }];
    const { places } = placeCards(pieces, { columns: 2, height: 500, gap: 0 });
    assert.deepEqual(places.map((p) => p.page), [0, 0, 1, 1, 0]);
  });

  test("a card spanning two columns goes where both are lowest and raises both", () => {
    const marked = [{ height: 100 }, { height: 300 }, { height: 50 }, { height: 200, span: 2 }, { height: 10 }];
    const { places, pages } = placeCards(marked, { columns: 3, height: 1000, gap: 0 });
    // Columns 100 / 300 / 50: columns 0 and 2 are not neighbours, so the run 0–1 (top 300)
    // loses to the run 1–2 (top 300) only as the later of equals: it goes to 0–1 at 300.
    assert.deepEqual(places.map((p) => [p.page, p.column, p.top]), [[0, 0, 0], [0, 1, 0], [0, 2, 0], [0, 0, 300], [0, 2, 50]]);
    assert.equal(pages, 1);
  });

  test("a spanning card too tall for the lowest run waits for the next page; a span wider than the wall is clamped", () => {
    const { places, pages } = placeCards([{ height: 400 }, { height: 200, span: 2 }, { height: 300, span: 5 }], { columns: 2, height: 500, gap: 0 });
    assert.deepEqual(places.map((p) => [p.page, p.column, p.top]), [[0, 0, 0], [1, 0, 0], [1, 0, 200]]);
    assert.equal(pages, 2);
  });

  test("no cards, one page", () => {
    assert.deepEqual(placeCards([], { columns: 3, height: 500 }), { places: [], pages: 1 });
  });
});
