// A few of the page's strings, for tests that check how placeholders and plurals are filled
// in; import it right after page.js (before any module of static/js reads the strings).
// Every other key answers itself.

import { setDataBlock } from "./page.js";

setDataBlock("i18n", {
  timer_spoken: "{m} Minuten {s} Sekunden",
  ideas_one: "{n} Idee",
  ideas_other: "{n} Ideen",
  new_idea_by: "Neue Idee von {author}: {text}",
});
