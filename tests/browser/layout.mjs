// The handbook's layout as a reader meets it (issue 12):
// - the first question of the walk is in the first screen of the home page
//   and of the decision page, on a phone and a desktop;
// - a shared #walk= link opens with its step or its outcome in view;
// - no page kind scrolls sideways at any width from 320 to 1920 px;
// - the printed diagnosis is one page, on A4 and on Letter;
// - the light/dark toggle switches, is remembered on the next page, and
//   follows the system until the reader picks. "Remembered" is checked
//   over http://: for file:// pages the HTML standard leaves localStorage
//   undefined (browsers may keep one per file), and Chromium, which shares one,
//   loses a write now and then when a busy machine navigates right after
//   it (about 1 in 25 with four browsers on two cores; none of 240 over
//   http://).
//   node layout.mjs BOOK_DIR SERVED_BASE
// SERVED_BASE: the address where `playbook serve` serves the same book,
// ending in "/".
import { launch, pageUrl, fail } from "./lib.mjs";

const [bookDir, servedBase] = process.argv.slice(2);
if (!servedBase) throw new Error("usage: node layout.mjs BOOK_DIR SERVED_BASE");
const PAGES = {
  home: "index.html",
  content: "strategy-problems/index.html",
  decision: "diagnose/index.html",
  outcome: "diagnose/index.html#walk=0.1",
  level: "levels/execution/index.html",
  levels: "levels/index.html",
  context: "contexts/platform/index.html",
  contexts: "contexts/index.html",
  matrix: "matrix/index.html",
  contents: "contents/index.html",
  notFound: "404.html",
  print: "print.html",
};
const url = (rel) => {
  const [file, hash] = rel.split("#");
  return pageUrl(bookDir, file) + (hash ? "#" + hash : "");
};
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  // The first question, in the first screen.
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
    await page.setViewportSize(viewport);
    for (const [name, selector] of [["home", ".walk-home .walk-step h3"], ["decision", ".walk-step:not([hidden]) h3"]]) {
      await page.goto(url(PAGES[name]));
      const box = await page.$eval(selector, (h) => {
        const r = h.getBoundingClientRect();
        const answer = h.closest(".walk-step").querySelector(".walk-answer").getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, answer: answer.bottom };
      }).catch(() => null);
      if (!box) { fail(`${name} at ${viewport.width} px: no first question (${selector})`); continue; }
      if (box.top < 0 || box.bottom > viewport.height) fail(`${name} at ${viewport.width} px: the first question spans ${Math.round(box.top)}-${Math.round(box.bottom)} px, outside the first screen`);
      console.log(`FIRST QUESTION on ${name} at ${viewport.width} px ends ${Math.round(box.bottom)} px down (first answer ${Math.round(box.answer)})`);
    }
    // Home's answers open the decision page with that answer taken.
    await page.goto(url(PAGES.home));
    const homeAnswer = await page.$(".walk-home .walk-answer");
    if (!homeAnswer) { fail("the home page has no answer to click"); continue; }
    await Promise.all([page.waitForURL(/diagnose\/index\.html#walk=0$/), homeAnswer.click()]);
    const step = await page.$eval(".walk-step:not([hidden])", (s) => s.id).catch(() => null);
    const progress = await page.$eval("#pb-walk-progress", (p) => p.textContent);
    if (!step || !progress.startsWith("Step 2 ")) fail(`home's first answer opened ${step} (${progress})`);
  }
  console.log("HOME ANSWER opens the walk at step 2");

  // Shared links open in view: a step deep in the walk, and an outcome.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [hash, selector] of [["#walk=0.0.0", ".walk-step:not([hidden]) h3"], ["#walk=0.1", "#pb-walk-outcome:not([hidden]) h3"]]) {
    const fresh = await context.newPage();
    await fresh.setViewportSize({ width: 390, height: 844 });
    await fresh.goto(url(PAGES.decision) + hash);
    await fresh.waitForTimeout(100);
    const r = await fresh.$eval(selector, (h) => { const b = h.getBoundingClientRect(); return [b.top, b.bottom]; }).catch(() => null);
    if (!r || r[0] < 0 || r[1] > 844) fail(`${hash} opens with ${selector} at ${r}, not in view`);
    else console.log(`SHARED ${hash} opens in view (${Math.round(r[0])}-${Math.round(r[1])} px)`);
    await fresh.close();
  }

  // The phone's drawer opens at its top, with the current page in view.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const rel of [PAGES.content, PAGES.contents]) {
    await page.goto(url(rel));
    await page.click(".menu-toggle");
    await page.waitForTimeout(300);
    const drawer = await page.evaluate(() => {
      const sidebar = document.getElementById("pb-sidebar");
      const first = sidebar.querySelector("#pb-filter:not([hidden]), #pb-nav a");
      const current = sidebar.querySelector('[aria-current="page"]');
      const box = sidebar.getBoundingClientRect();
      const below = document.querySelector(".topbar").getBoundingClientRect().bottom;
      const inView = (e) => { const r = e.getBoundingClientRect(); return r.top >= Math.max(box.top, below) - 0.5 && r.bottom <= Math.min(box.bottom, innerHeight) + 0.5; };
      return { under: box.top < below - 0.5, first: inView(first), current: current ? inView(current) : null, scrollTop: sidebar.scrollTop };
    });
    // The drawer starts below the top bar; it shows its top unless it had
    // to scroll to show the current page.
    if (drawer.under || drawer.current === false || (drawer.scrollTop === 0 && !drawer.first)) fail(`${rel}: the drawer opens clipped: ${JSON.stringify(drawer)}`);
    else console.log(`DRAWER opens below the top bar on ${rel}, current page in view (scrolled ${drawer.scrollTop} px)`);
  }

  // No page kind scrolls sideways, 320 to 1920 px, every 16 px.
  let checked = 0;
  for (const [name, rel] of Object.entries(PAGES)) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url(rel));
    for (let width = 320; width <= 1920; width += 16) {
      await page.setViewportSize({ width, height: 900 });
      const over = await page.evaluate(() => {
        const doc = document.documentElement;
        if (doc.scrollWidth <= doc.clientWidth) return null;
        const wide = [...document.querySelectorAll("body *")].find((e) => e.getBoundingClientRect().right > doc.clientWidth + 0.5);
        return { scroll: doc.scrollWidth, client: doc.clientWidth, culprit: wide ? wide.tagName + "." + wide.className : "?" };
      });
      if (over) fail(`${name} scrolls sideways at ${width} px: ${JSON.stringify(over)}`);
      checked++;
    }
  }
  console.log(`NO SIDEWAYS SCROLL in ${checked} page views (${Object.keys(PAGES).length} kinds, 320-1920 px every 16)`);

  // The printed diagnosis is one page, on A4 and on Letter, even for a
  // reader whose screen is dark.
  const dark = await browser.newContext({ colorScheme: "dark" });
  const printer = await dark.newPage();
  const outcomes = ["0.1", "0.0.1", "0.0.0.0.0.2.0"];
  for (const walk of outcomes) {
    await printer.goto(url(PAGES.decision) + "#walk=" + walk);
    const ended = await printer.$("#pb-walk-outcome:not([hidden])");
    if (!ended) { fail(`#walk=${walk} is not an outcome`); continue; }
    for (const format of ["A4", "Letter"]) {
      const pdf = await printer.pdf({ format });
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
      if (pages !== 1) fail(`the diagnosis at #walk=${walk} prints on ${pages} ${format} pages`);
      else console.log(`PRINTED diagnosis #walk=${walk} on 1 ${format} page`);
    }
  }
  await printer.emulateMedia({ media: "print" });
  const ink = await printer.evaluate(() => {
    const chip = document.querySelector("#pb-walk-outcome .chip");
    return { body: getComputedStyle(document.body).backgroundColor, chip: chip ? getComputedStyle(chip).backgroundColor : null };
  });
  if (ink.body !== "rgb(255, 255, 255)" || (ink.chip && ink.chip !== "rgb(255, 255, 255)")) fail(`a dark-mode reader prints on ${JSON.stringify(ink)}`);
  console.log("PRINT is light for a dark-mode reader");
  await dark.close();

  // 404.html opened from disk finds its stylesheet and its links.
  {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url(PAGES.notFound));
    const found = await page.evaluate(() => ({
      styled: getComputedStyle(document.querySelector(".topbar")).position === "sticky",
      home: document.querySelector(".content a").href,
    }));
    if (!found.styled || !found.home.startsWith("file:") || !found.home.endsWith("/index.html") || found.home === "file:///index.html") {
      fail(`404.html from disk: ${JSON.stringify(found)}`);
    } else console.log("NOT FOUND page styled from disk, its links lead into the book");
  }

  // A heading's anchor link shows on hover and on keyboard focus, and is
  // hidden otherwise (on a device that can hover).
  {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(url(PAGES.content));
    const anchor = ".content h2 .heading-anchor";
    const opacity = () => page.$eval(anchor, (a) => Number(getComputedStyle(a).opacity));
    const idle = await opacity().catch(() => null);
    await page.hover(".content h2");
    await page.waitForTimeout(400);
    const hovered = await opacity().catch(() => null);
    await page.mouse.move(0, 0);
    await page.focus(anchor).catch(() => {});
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    await page.waitForTimeout(400);
    const focused = await opacity().catch(() => null);
    const target = await page.$eval(anchor, (a) => a.getAttribute("href") === "#" + a.closest("h2").id).catch(() => false);
    if (idle !== 0 || hovered !== 1 || focused !== 1 || !target) fail(`heading anchor: idle ${idle}, hover ${hovered}, focus ${focused}, href ok ${target}`);
    else console.log("HEADING ANCHOR shows on hover and focus, links to its heading");
  }

  // print.html prints every page, each on a page of its own.
  {
    const printer = await context.newPage();
    await printer.goto(url(PAGES.print));
    const sections = await printer.$$eval(".print-page", (s) => s.length);
    const pdf = await printer.pdf({ format: "A4" });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    if (sections < 2 || pages < sections) fail(`print.html: ${sections} pages of the book on ${pages} printed pages`);
    else console.log(`PRINT BOOK: ${sections} pages of the book on ${pages} A4 pages`);
    await printer.close();
  }

  // The theme toggle: follows the system, switches, is remembered.
  for (const scheme of ["light", "dark"]) {
    const ctx = await browser.newContext({ colorScheme: scheme });
    const p = await ctx.newPage();
    await p.goto(servedBase + PAGES.content);
    const bg = () => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const before = await bg();
    if (!(await p.$("#pb-theme:not([hidden])"))) { fail("no theme toggle"); await ctx.close(); continue; }
    await p.click("#pb-theme");
    const after = await bg();
    if (before === after) fail(`with a ${scheme} system, the toggle did not change the colours (${before})`);
    await p.goto(servedBase + PAGES.home);
    const remembered = (await bg()) === after;
    if (!remembered) fail(`with a ${scheme} system, the choice was not remembered on the next page`);
    await p.click("#pb-theme");
    const stored = await p.evaluate(() => localStorage.getItem("playbook-theme"));
    const back = stored === null && (await bg()) === before;
    if (!back) fail(`switching back to the system's ${scheme} left ${stored}`);
    if (before !== after && remembered && back) console.log(`TOGGLE with a ${scheme} system: ${before} -> ${after}, remembered, and back`);
    await ctx.close();
  }
} finally {
  await browser.close();
}
