/**
 * How a plenary's items are shown, on the moderator's plenary page and on the venue PC:
 * by votes while voting and once any dots were placed (ties in the order brought), otherwise
 * in the order brought; and how large the cards are for how many items.
 */

/** Whether the items go by votes (the result stays visible after voting). */
export function byVotes(plenary) {
  return plenary.voting || plenary.items.some((item) => item.votes > 0);
}

/** The items as shown. */
export function shownItems(plenary) {
  const items = plenary.items.map((item, index) => ({ item, index }));
  if (byVotes(plenary)) items.sort((a, b) => b.item.votes - a.item.votes || a.index - b.index);
  return items.map(({ item }) => item);
}

/** The card size for ``count`` items: "xl", "l", "m" or "s". */
export function density(count) {
  if (count <= 4) return "xl";
  if (count <= 8) return "l";
  if (count <= 15) return "m";
  return "s";
}
