import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { byVotes, density, shownItems } from "../../static/js/ui/plenary-order.js";

const item = (id, votes = 0) => ({ id, votes });
const ids = (items) => items.map((shown) => shown.id);

describe("the plenary's order", () => {
  test("in the order brought while nothing has votes and nobody votes", () => {
    const plenary = { voting: false, items: [item(3), item(1), item(2)] };
    assert.equal(byVotes(plenary), false);
    assert.deepEqual(ids(shownItems(plenary)), [3, 1, 2]);
  });

  test("by votes once any dot is placed, ties in the order brought", () => {
    const plenary = { voting: false, items: [item(1, 2), item(2, 5), item(3, 2), item(4)] };
    assert.equal(byVotes(plenary), true);
    assert.deepEqual(ids(shownItems(plenary)), [2, 1, 3, 4]);
  });

  test("by votes while voting, even before the first dot", () => {
    assert.equal(byVotes({ voting: true, items: [item(1)] }), true);
  });

  test("larger cards for fewer items", () => {
    assert.deepEqual([1, 4, 5, 8, 9, 15, 16].map(density), ["xl", "xl", "l", "l", "m", "m", "s"]);
  });
});
