// The phone page's first screen, written into the page itself (app/pages/inline.py) so that on
// slow Wi-Fi the name field works as soon as the HTML is here, without waiting for phone.js
// and the modules it imports. A classic script, run right after the page's markup: it shows
// the name screen (phone.js opens the event of a participant who joined before) and takes a
// name sent before phone.js has arrived. Such a join is sent at once and handed to phone.js
// as `window.pinnwandEarlyJoin` = {name, response: the fetch's promise, or null for a name
// out of bounds}; phone.js shows what comes of it. Once phone.js is here
// (`window.pinnwandPhone`), it handles the form alone (and asks for the board's code itself).
(() => {
  const app = document.getElementById("app");
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(`pinnwand:participant:${app.dataset.code}`) || "null");
  } catch {
    stored = null;
  }
  // The board's code (data-board-code): asked for once the join request is out, so that the
  // join goes ahead of it for one of the browser's six connections to the host.
  let asked = false;
  const fetchBoardCode = () => {
    if (asked) return;
    asked = true;
    for (const href of app.dataset.boardCode.split(" ")) {
      const link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = href;
      document.head.append(link);
    }
  };
  if (stored && stored.token) {
    fetchBoardCode();
    return;
  }
  document.getElementById("step-loading").hidden = true;
  document.getElementById("step-name").hidden = false;
  const form = document.getElementById("name-form");
  form.addEventListener("submit", (event) => {
    if (window.pinnwandPhone) return;
    event.preventDefault();
    if (window.pinnwandEarlyJoin && window.pinnwandEarlyJoin.response) return;
    const name = document.getElementById("join-name").value.trim();
    if (name.length < 1 || name.length > 40) {
      window.pinnwandEarlyJoin = { name, response: null };
      return;
    }
    const body = { code: app.dataset.code, name };
    if (app.dataset.joinKey) body.key = app.dataset.joinKey;
    form.querySelector('[type="submit"]').disabled = true;
    window.pinnwandEarlyJoin = {
      name,
      response: fetch("/api/v1/join", {
        method: "POST",
        headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
      }),
    };
    fetchBoardCode();
  });
})();
