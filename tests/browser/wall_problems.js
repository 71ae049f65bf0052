// Every layout problem of the staff board at the current window size, in words (an empty
// list: the wall holds). Called by tests/browser/test_board_wall.py.
// - the page scrolls sideways, or a card reaches beyond the window;
// - a cluster title is cut (wider or taller than its field shows);
// - a card is taller than what it shows (stretched to a neighbour's height);
// - two cards overlap.
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const scrolled = document.scrollingElement.scrollWidth;
  if (scrolled > width) problems.push(`the page scrolls sideways: ${scrolled} > ${width}`);
  for (const title of document.querySelectorAll('[data-testid="cluster-title"]')) {
    if (title.scrollWidth > title.clientWidth) {
      problems.push(`title "${title.value}" cut in width: ${title.scrollWidth} > ${title.clientWidth}`);
    }
    if (title.scrollHeight > title.clientHeight + 1) {
      problems.push(`title "${title.value}" cut in height: ${title.scrollHeight} > ${title.clientHeight}`);
    }
  }
  const cards = [...document.querySelectorAll('[data-testid="idea-card"]')];
  for (const card of cards) {
    const box = card.getBoundingClientRect();
    const style = getComputedStyle(card);
    const shown = [...card.children].filter((child) => getComputedStyle(child).position !== "fixed");
    const last = shown[shown.length - 1].getBoundingClientRect();
    const natural = last.bottom + parseFloat(style.paddingBottom) + parseFloat(style.borderBottomWidth);
    const id = card.dataset.ideaId;
    if (Math.abs(box.bottom - natural) > 2) {
      problems.push(`card ${id} is ${Math.round(box.bottom - natural)} px taller than what it shows`);
    }
    if (box.right > width || box.left < 0) problems.push(`card ${id} spans ${box.left}..${box.right}`);
  }
  const boxes = cards.map((card) => [card.dataset.ideaId, card.getBoundingClientRect()]);
  const apart = (p, q) => p.right - 1 <= q.left || q.right - 1 <= p.left || p.bottom - 1 <= q.top || q.bottom - 1 <= p.top;
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      if (!apart(boxes[i][1], boxes[j][1])) problems.push(`cards ${boxes[i][0]} and ${boxes[j][0]} overlap`);
    }
  }
  return problems.slice(0, 20);
}
