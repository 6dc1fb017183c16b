// The edges of search that reviews found (issue 13), on the book
// tests/browser.rs writes for them, opened from disk:
// - "constructor" and "__proto__" are words like any other;
// - a result on the page being read closes the results as it opens;
// - on a phone, Escape hands focus back to the magnifier;
// - the panel stays inside the page at every width;
// - a right-to-left mark in a title stays inside the title;
// - filters that leave nothing say how many pages match without them;
// - "Show more" moves focus to the first new result;
// - a word too long to be indexed says so;
// - passages keep the punctuation around their words;
// - a long query does not make the results page scroll sideways.
//   node search_edges.mjs BASE_URL
import { launch, fail } from "./lib.mjs";

const [base] = process.argv.slice(2);
const root = base.endsWith("/") ? base : base + "/";
const browser = await launch();
const errors = [];

async function open(context, path) {
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(root + path);
  return page;
}
// Types `query` into the header's field and waits for what it shows.
async function typeQuery(page, query) {
  await page.fill("#pb-search-input", "");
  await page.click("#pb-search-input");
  await page.keyboard.type(query, { delay: 10 });
  await page.waitForFunction(
    (q) => document.getElementById("pb-search-input").value === q && document.getElementById("pb-search-count").textContent !== "",
    query,
    { timeout: 10000 },
  );
  await page.waitForTimeout(200);
  return page.$$eval("#pb-search-list [role=option] .sr-title", (els) => els.map((e) => e.textContent));
}
const popupOpen = (page) => page.$eval("#pb-search-popup", (p) => !p.hidden);

try {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  let page = await open(desktop, "index.html");

  // Words that name properties of every JavaScript object.
  for (const word of ["constructor", "__proto__"]) {
    const list = await typeQuery(page, word + " ");
    if (list[0] !== "Object words") fail(`'${word}' finds ${JSON.stringify(list)}`);
    else console.log(`PROTO '${word}' finds Object words`);
  }

  // One ideograph is a word, even as the last thing typed.
  const han = await typeQuery(page, "\u4e2d");
  if (han[0] !== "CJK page") fail(`'中' finds ${JSON.stringify(han)}`);
  await typeQuery(page, "\u4e2d\u56fd");
  const hanCount = await page.$eval("#pb-search-count", (c) => c.textContent);
  if (hanCount !== "1 result with some of the words") fail(`'中国' (the page has no 国): ${JSON.stringify(hanCount)}`);
  else console.log("IDEOGRAPH '中' finds CJK page; '中国' has only some of the words");

  // ß folds to ss, as upper case writes it.
  const sharp = [await typeQuery(page, "STRASSE "), await typeQuery(page, "grösse ")];
  if (sharp.some((list) => list[0] !== "Sizes")) fail(`'STRASSE', 'grösse' find ${JSON.stringify(sharp)}`);
  else console.log("SHARP S 'STRASSE' and 'grösse' find Straße and Größe");

  // A passage keeps the quote and full stop around its last word.
  await typeQuery(page, "horizon ");
  const quoted = await page.$eval("#pb-search-list .sr-passage", (p) => p.textContent);
  if (!quoted.includes("horizon.”")) fail(`passage cut its punctuation: ${JSON.stringify(quoted)}`);
  else console.log("PASSAGE keeps its punctuation: …horizon.”");

  // A title with a right-to-left override keeps it inside the title.
  await typeQuery(page, "bidi ");
  const bidi = await page.$eval("#pb-search-list [role=option]", (a) => {
    const title = a.querySelector(".sr-title").getBoundingClientRect();
    const chips = a.querySelector(".sr-levels").getBoundingClientRect();
    return { titleRight: title.right, chipsLeft: chips.left };
  });
  if (bidi.chipsLeft < bidi.titleRight - 1) fail(`the levels were pulled into the reversed title: ${JSON.stringify(bidi)}`);
  else console.log("BIDI the levels stay after a reversed title");

  // Filters that leave nothing: how many pages match without them.
  await typeQuery(page, "harbour ");
  await page.click("#pb-search-filters .sr-filter.lv-impact");
  await page.waitForSelector("#pb-search-more .sr-clear", { timeout: 5000 }).catch(() => {});
  const hint = await page.$eval("#pb-search-more", (f) => f.textContent).catch(() => "");
  if (!hint.includes("1 page matches without the filters")) fail(`no hint with every match filtered out: ${JSON.stringify(hint)}`);
  if ((await page.$$eval("#pb-search-more .sr-suggest", (p) => p.length)) !== 1) fail("'did you mean' beside the filters' hint");
  await page.click("#pb-search-more .sr-clear");
  await page.waitForFunction(() => document.querySelectorAll("#pb-search-list [role=option]").length > 0, null, { timeout: 5000 });
  const pressed = await page.$$eval("#pb-search-filters [aria-pressed=true]", (b) => b.length);
  const cleared = await page.evaluate(() => [document.activeElement.id, !document.getElementById("pb-search-popup").hidden]);
  if (pressed !== 0) fail(`${pressed} filters still pressed after clearing`);
  else if (cleared.join() !== "pb-search-input,true") fail(`after clearing the filters: focus on ${cleared[0]}, results shown ${cleared[1]}`);
  else console.log("FILTERED OUT says 1 page matches without the filters; clearing them finds it, the results stay open");

  // A word longer than the index keeps, as typed or once folded ("ﬃ" is
  // "ffi"), after a result was selected.
  await typeQuery(page, "team ");
  await page.keyboard.press("ArrowDown");
  for (const word of ["x".repeat(45), "\ufb03".repeat(21)]) {
    await page.fill("#pb-search-input", word);
    await page.waitForTimeout(300);
    const long = await page.$eval("#pb-search-count", (c) => c.textContent);
    const stale = await page.$eval("#pb-search-input", (i) => i.getAttribute("aria-activedescendant"));
    if (!(await popupOpen(page)) || !long.includes("more than 40 letters")) fail(`a long word shows ${JSON.stringify(long)}`);
    if (stale) fail(`the field still points at result ${stale}, which is gone`);
  }
  console.log("LONG WORD says words of more than 40 letters are not searched");
  await typeQuery(page, "harbour " + "x".repeat(45) + " ");
  const some = await page.$eval("#pb-search-count", (c) => c.textContent);
  if (some !== "1 result with some of the words") fail(`a long word beside a found one: ${JSON.stringify(some)}`);
  else console.log("LONG WORD beside another: 1 result with some of the words");

  // A result on the page being read: the results close as it opens.
  await page.goto(root + "harbour/index.html");
  await typeQuery(page, "moorings ");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#moorings", null, { timeout: 5000 });
  if (await popupOpen(page)) fail("Enter on a result of this page left the results open");
  await page.evaluate(() => window.scrollTo(0, 0));
  await typeQuery(page, "moorings ");
  // A click that opens a new tab keeps the results; a plain one closes them.
  await page.click("#pb-search-list [role=option]", { modifiers: ["Control"] });
  await page.waitForTimeout(200);
  if (!(await popupOpen(page))) fail("a Ctrl-click, which opens a tab, closed the results");
  await page.click("#pb-search-list [role=option]");
  await page.waitForTimeout(200);
  const afterClick = await page.$eval("#pb-search-input", (i) => i.getAttribute("aria-expanded"));
  if ((await popupOpen(page)) || afterClick !== "false") fail("a click on a result of this page left the results open");
  else console.log("SAME PAGE a result of this page closes the results, by Enter and by click");

  // A one-letter word on the results page is a word, not a prefix to come.
  page = await open(desktop, "search/index.html?q=q");
  await page.waitForFunction(() => document.getElementById("pb-search-page-status").textContent !== "", null, { timeout: 10000 });
  const letter = await page.$$eval("#pb-search-page-results .sr-title", (els) => els.map((e) => e.textContent));
  if (letter[0] !== "Object words") fail(`?q=q finds ${JSON.stringify(letter)}`);
  else console.log("ONE LETTER ?q=q finds Object words");

  // "Show more" on the results page: focus goes to the first new result.
  page = await open(desktop, "search/index.html?q=team");
  await page.waitForSelector(".sr-more", { timeout: 10000 });
  await page.focus(".sr-more");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#pb-search-page-results .sr-option").length > 20, null, { timeout: 5000 });
  const focused = await page.evaluate(() => {
    const all = [...document.querySelectorAll("#pb-search-page-results .sr-option")];
    return all.indexOf(document.activeElement);
  });
  if (focused !== 20) fail(`after "Show more" the focus is on result ${focused}, not the 21st`);
  else console.log("SHOW MORE focuses the 21st result");

  // The panel inside the page, at every width; on phones the bar opens first.
  const outside = [];
  for (const width of [360, 420, 560, 641, 660, 680, 700, 705, 760, 900, 1100, 1440]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const p = await open(context, "index.html");
    if (await p.$eval("#pb-search-open", (b) => b.offsetParent !== null)) await p.click("#pb-search-open");
    await typeQuery(p, "team ");
    const box = await p.$eval("#pb-search-popup", (e) => e.getBoundingClientRect().toJSON());
    if (box.left < 0 || box.right > width) outside.push(`${width}px: ${Math.round(box.left)}..${Math.round(box.right)}`);
    await context.close();
  }
  if (outside.length) fail(`the panel leaves the page at ${outside.join(", ")}`);
  else console.log("PANEL inside the page at widths from 360 to 1440");

  // A phone: Escape closes the bar and the magnifier has focus again.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  page = await open(phone, "index.html");
  await page.click("#pb-search-open");
  await typeQuery(page, "team ");
  await page.keyboard.press("Escape");
  const state = await page.evaluate(() => ({
    focus: document.activeElement.id,
    expanded: document.getElementById("pb-search-open").getAttribute("aria-expanded"),
    bar: document.documentElement.classList.contains("search-shown"),
  }));
  if (state.focus !== "pb-search-open" || state.expanded !== "false" || state.bar) fail(`Escape on a phone: ${JSON.stringify(state)}`);
  // Opened by `/` on a wide window, then narrowed: Escape closed it all.
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.keyboard.press("/");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 390, height: 844 });
  if (await page.evaluate(() => document.documentElement.classList.contains("search-shown"))) fail("Escape left the phone's bar open");
  else console.log("PHONE Escape closes the bar and gives focus back to the magnifier");

  // A long query on the results page, on a phone: no sideways scroll.
  page = await open(phone, "search/index.html?q=" + "antidisestablishmentarianism".repeat(2) + "roadmap");
  await page.waitForFunction(() => document.getElementById("pb-search-page-status").textContent !== "", null, { timeout: 10000 });
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (widths[0] > widths[1]) fail(`the results page is ${widths[0]}px wide on a ${widths[1]}px phone`);
  else console.log("NO SIDEWAYS SCROLL for a long query on a phone");
} finally {
  await browser.close();
}
if (errors.length) fail("page errors: " + errors.join(" | "));
