// Every problem of the layout at the current width: elements beyond the viewport, sideways
// scrolling, words broken across lines anywhere but at a (soft) hyphen or a slash. (Chromium
// reports the hyphen it shows at a soft hyphen as the box of the next character, so a break
// one character after a soft hyphen is that hyphen too.)
// Called by tests/browser/test_results_pages.py with the selector of the part whose words are
// checked; returns a list of problems in words (empty: the layout holds).
(wordsIn) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const where = (node) => node.tagName.toLowerCase()
    + (node.dataset && node.dataset.testid ? `[${node.dataset.testid}]` : "")
    + (node.className && typeof node.className === "string" ? `.${node.className.split(" ")[0]}` : "");
  if (document.scrollingElement.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways: ${document.scrollingElement.scrollWidth} > ${width}`);
  }
  for (const node of document.body.querySelectorAll("*")) {
    if (node.closest(".skip-link, .visually-hidden, [hidden], details:not([open])")) continue;
    const style = getComputedStyle(node);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const box = node.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      problems.push(`${where(node)} spans ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
    }
  }
  const root = document.querySelector(wordsIn);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const joiners = new Set(["\u00ad", "-", "‐", "/", "–", "—"]);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    const parent = text.parentElement;
    if (!parent || parent.closest("script, style, svg, [hidden], .skip-link, .visually-hidden, details:not([open])")) continue;
    const data = text.data;
    let lastTop = null;
    for (let i = 0; i < data.length; i += 1) {
      if (/\s/.test(data[i])) { lastTop = null; continue; }
      const start = data.slice(0, i).search(/\S+$/);
      if (/^https?:\/\//.test(data.slice(start === -1 ? i : start))) continue;  // a link, no word
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const rects = range.getClientRects();
      if (!rects.length || rects[0].width === 0) continue;
      const top = rects[0].top;
      const afterJoiner = joiners.has(data[i - 1]) || joiners.has(data[i - 2]);
      if (lastTop !== null && top > lastTop + rects[0].height / 2 && !afterJoiner) {
        const word = data.slice(Math.max(0, data.lastIndexOf(" ", i) + 1), data.indexOf(" ", i) === -1 ? undefined : data.indexOf(" ", i));
        problems.push(`"${word.replace(/\u00ad/g, "")}" breaks before "${data[i]}" in ${where(parent)}`);
      }
      lastTop = top;
    }
  }
  return problems.slice(0, 25);
}
