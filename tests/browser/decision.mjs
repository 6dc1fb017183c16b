// The decision page, end to end, by clicking.
//   node decision.mjs BOOK_DIR PAGE
// Prints one line per outcome reached: "OUTCOME <title>".
import { launch, pageUrl, fail } from "./lib.mjs";

const [bookDir, rel] = process.argv.slice(2);
const url = pageUrl(bookDir, rel);
const browser = await launch();

const visibleStep = (page) => page.$eval(".walk-step:not([hidden])", (s) => s.id).catch(() => null);
const outcomeTitle = (page) => page.$eval("#pb-walk-outcome:not([hidden]) h3", (h) => h.textContent).catch(() => null);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  const data = JSON.parse(await page.$eval("#pb-walk-data", (s) => s.textContent));

  // The walk is the first thing on the page: its first question is in the
  // first viewport on a phone and on a desktop (issue 12).
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
    const sized = await context.newPage();
    await sized.setViewportSize(viewport);
    await sized.goto(url);
    const top = await sized.$eval(`#step-${data.start} h3`, (h) => h.getBoundingClientRect().bottom);
    if (top > viewport.height) fail(`at ${viewport.width} px the first question ends ${Math.round(top)} px down, below the first screen`);
    await sized.close();
  }
  console.log("FIRST QUESTION in the first screen at 390 and 1280 px");

  // Before any answer there is nothing to start again or print.
  const disabled = await page.evaluate(() => ["restart", "print", "copy"].map((id) => document.getElementById("pb-walk-" + id).disabled));
  if (disabled.some((d) => !d)) fail(`before any answer, Start again / Print / Copy link enabled: ${disabled}`);
  const progress = await page.$eval("#pb-walk-progress", (p) => p.textContent).catch(() => "");
  if (!/^Step 1 of at most \d+$/.test(progress)) fail(`progress cue at the start reads "${progress}"`);

  // Arrow keys move between the answers and never leave the page.
  await page.focus(`#step-${data.start} .walk-answer[data-answer="0"]`);
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement.getAttribute("data-answer"));
  if (focused !== "1") fail(`ArrowDown from the first answer focused answer ${focused}`);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowLeft");
  if (page.url() !== url) fail(`arrow keys navigated to ${page.url()}`);
  console.log("ARROWS move between answers; controls wait for an answer");

  // Every path from the start, as answer indexes, with its outcome.
  const paths = [];
  (function explore(id, taken) {
    data.questions[id].answers.forEach((a, i) => {
      if (a.outcome) paths.push({ answers: [...taken, i], outcome: a.outcome.title });
      else explore(a.next, [...taken, i]);
    });
  })(data.start, []);
  if (paths.length === 0) fail("no paths");

  const visibleSteps = await page.$$eval(".walk-step", (s) => s.filter((e) => !e.hidden).length);
  if (visibleSteps !== 1) fail(`with JavaScript, ${visibleSteps} steps are shown at once instead of 1`);

  for (const path of paths) {
    await page.goto(url);
    for (const i of path.answers) {
      await page.click(`.walk-step:not([hidden]) .walk-answer[data-answer="${i}"]`);
    }
    const reached = await outcomeTitle(page);
    if (reached !== path.outcome) fail(`path ${path.answers.join(".")} ended on ${reached}, expected ${path.outcome}`);
    const hash = new URL(page.url()).hash;
    if (hash !== "#walk=" + path.answers.join(".")) fail(`path state in the URL is ${hash}`);
    const crumbs = await page.$$eval("#pb-walk-path li", (l) => l.length);
    if (crumbs !== path.answers.length) fail(`breadcrumb has ${crumbs} steps for a path of ${path.answers.length}`);
    // The outcome card: the diagnosis, the path that led there, the first
    // steps, and the page to read.
    const card = await page.$eval("#pb-walk-outcome", (c) => ({
      path: c.querySelectorAll(".outcome-path li").length,
      steps: c.querySelectorAll(".outcome-steps li").length,
      link: c.querySelector(".walk-outcome-link") ? c.querySelector(".walk-outcome-link").getAttribute("href") : null,
    }));
    if (card.path !== path.answers.length || card.steps === 0 || !card.link) fail(`outcome card for ${path.answers.join(".")}: ${JSON.stringify(card)}`);
    console.log(`OUTCOME ${reached} via ${path.answers.join(".")}`);
  }

  // The print view is the diagnosis: the path taken and the outcome, not the steps.
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => ({
    steps: getComputedStyle(document.querySelector(".walk-steps")).display,
    path: getComputedStyle(document.querySelector("#pb-walk-outcome .outcome-path")).display,
    outcome: getComputedStyle(document.getElementById("pb-walk-outcome")).display,
    sidebar: getComputedStyle(document.getElementById("pb-sidebar")).display,
    body: getComputedStyle(document.querySelector(".content")).display,
  }));
  if (printed.steps !== "none" || printed.path === "none" || printed.outcome === "none" || printed.sidebar !== "none" || printed.body !== "none") {
    fail(`print view is not the diagnosis: ${JSON.stringify(printed)}`);
  }
  await page.emulateMedia({ media: "screen" });
  console.log("PRINT shows the path and the outcome only");

  // Back and Start again, on the longest path.
  const longest = paths.reduce((a, b) => (b.answers.length > a.answers.length ? b : a));
  await page.goto(url);
  for (const i of longest.answers) await page.click(`.walk-step:not([hidden]) .walk-answer[data-answer="${i}"]`);
  await page.click("#pb-walk-back");
  if (await outcomeTitle(page)) fail("Back left the outcome shown");
  const lastQuestion = longest.answers.length > 1 ? "present" : "start";
  const afterBack = await visibleStep(page);
  if (!afterBack) fail(`Back shows no step (${lastQuestion})`);
  if (new URL(page.url()).hash !== "#walk=" + longest.answers.slice(0, -1).join(".")) fail("Back did not update the URL");
  await page.click("#pb-walk-restart");
  if ((await visibleStep(page)) !== "step-" + data.start) fail("Start again does not return to the first question");
  if ((await page.$$eval("#pb-walk-path li", (l) => l.length)) !== 0) fail("Start again leaves a breadcrumb");
  console.log(`BACK and START AGAIN work (back landed on ${afterBack})`);

  // Links elsewhere on the page ("On this page", Back to top) keep the
  // walk where it is; the browser's back button still steps through it.
  await page.goto(url + "#walk=" + paths[0].answers.join("."));
  const kept = [];
  for (const selector of ['.toc a[href="#pb-walk"]', '.toc a[href="#pb-tree-title"]', ".site-footer .back-to-top"]) {
    await page.click(selector);
    await page.waitForTimeout(150);
    kept.push(await outcomeTitle(page));
  }
  if (kept.some((t) => t !== paths[0].outcome)) fail(`in-page links reset the walk: ${JSON.stringify(kept)}`);
  await page.goto(url);
  await page.click(`.walk-step:not([hidden]) .walk-answer[data-answer="0"]`);
  await page.goBack();
  await page.waitForTimeout(150);
  if ((await visibleStep(page)) !== "step-" + data.start) fail("the back button does not return to the first question");
  console.log("IN-PAGE LINKS keep the walk; back steps through it");

  // A shared link reopens the same step; browser history steps back too.
  await page.goto(url);
  const partial = longest.answers.slice(0, Math.max(1, longest.answers.length - 1));
  for (const i of partial) await page.click(`.walk-step:not([hidden]) .walk-answer[data-answer="${i}"]`);
  const sharedUrl = page.url();
  const stepBefore = await visibleStep(page);
  const fresh = await context.newPage();
  await fresh.goto(sharedUrl);
  const stepAfter = await visibleStep(fresh);
  if (stepAfter !== stepBefore) fail(`shared URL opens ${stepAfter}, not ${stepBefore}`);
  const inView = await fresh.$eval(".walk-step:not([hidden]) h3", (h) => {
    const r = h.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  if (!inView) fail("a shared link's step is not in view when it opens");
  const after = await fresh.evaluate(() => [document.getElementById("pb-walk-restart").disabled, document.getElementById("pb-walk-progress").textContent]);
  if (after[0] || !/^Step \d+ of at most \d+$/.test(after[1]) || after[1].startsWith("Step 1 ")) fail(`mid-walk controls/progress: ${after}`);
  await fresh.reload();
  if ((await visibleStep(fresh)) !== stepBefore) fail("reload does not keep the step");
  console.log(`SHARED URL reopens ${stepAfter}`);

  // Text from the URL is never HTML.
  const hostile = await context.newPage();
  let dialog = false;
  hostile.on("dialog", async (d) => { dialog = true; await d.dismiss(); });
  await hostile.goto(url + "#walk=<img src=x onerror=alert(1)>");
  await hostile.goto(url + "#step-%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
  if (dialog) fail("a URL hash ran script");
  if ((await visibleStep(hostile)) !== "step-" + data.start) fail("a malformed hash does not fall back to the first question");
  if (await hostile.$("#pb-walk img")) fail("a URL hash became HTML");
  console.log("HOSTILE URL ignored");
  await context.close();

  // Without JavaScript: every step is a section; answers are plain anchors.
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const plain = await noJs.newPage();
  await plain.goto(url);
  const allVisible = await plain.$$eval(".walk-step", (s) => s.every((e) => !e.hidden && e.offsetParent !== null));
  if (!allVisible) fail("without JavaScript some steps are hidden");
  // Follow the first answer of each step until the page changes.
  let hops = 0;
  while (new URL(plain.url()).pathname === new URL(url).pathname && hops < 20) {
    const hash = new URL(plain.url()).hash || "#step-" + data.start;
    const link = await plain.$(`${hash} .walk-answer`);
    if (!link) { fail(`no answer in ${hash} without JavaScript`); break; }
    const before = plain.url();
    await Promise.all([plain.waitForURL((u) => u.href !== before), link.click()]);
    hops++;
  }
  const landed = await plain.$eval("h1", (h) => h.textContent);
  if (!paths.some((p) => p.outcome === landed)) fail(`without JavaScript the anchors led to "${landed}", not an outcome`);
  console.log(`NO-JS reached ${landed} in ${hops} clicks`);
  await noJs.close();
} finally {
  await browser.close();
}
