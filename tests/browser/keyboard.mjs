// With the keyboard alone: the skip link comes first, the menu opens on a
// narrow screen, every navigation link is reachable with Tab, Escape closes
// the menu, and the arrow keys follow previous/next.
//   node keyboard.mjs BOOK_DIR PAGE
import { launch, pageUrl, fail } from "./lib.mjs";

const [bookDir, rel] = process.argv.slice(2);
const browser = await launch();

/** Presses Tab until focus leaves `container` (or a limit), returning the hrefs focused inside it. */
async function tabThrough(page, container, limit) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate((sel) => {
      const el = document.activeElement;
      return { inside: !!el.closest(sel), href: el.getAttribute("href"), tag: el.tagName };
    }, container);
    if (!info.inside) {
      if (seen.length > 0) break;
      continue;
    }
    if (info.href) seen.push(info.href);
  }
  return seen;
}

async function navLinks(page) {
  return page.$$eval("#pb-nav a", (links) => links.filter((a) => a.offsetParent !== null || a.closest("li:not([hidden])")).map((a) => a.getAttribute("href")));
}

try {
  // Narrow: skip link, then the menu button; Enter opens the drawer.
  const narrow = await browser.newContext({ viewport: { width: 390, height: 844 } });
  let page = await narrow.newPage();
  await page.goto(pageUrl(bookDir, rel));
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement.className);
  if (first !== "skip-link") fail(`first Tab stop is "${first}", not the skip link`);
  await page.keyboard.press("Tab");
  const second = await page.evaluate(() => document.activeElement.className);
  if (second !== "menu-toggle") fail(`second Tab stop is "${second}", not the menu button`);
  const hiddenBefore = await page.$eval("#pb-sidebar", (el) => getComputedStyle(el).visibility);
  if (hiddenBefore !== "hidden") fail(`the closed drawer is ${hiddenBefore}, not hidden`);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
  const expanded = await page.$eval(".menu-toggle", (b) => b.getAttribute("aria-expanded"));
  if (expanded !== "true") fail("Enter on the menu button does not open the menu");
  const focusInside = await page.evaluate(() => !!document.activeElement.closest("#pb-sidebar"));
  if (!focusInside) fail("opening the menu does not move focus into it");
  const all = await navLinks(page);
  // Focus sits on the current page's link; start from the filter so every link is visited.
  await page.focus("#pb-context-filter");
  const reached = await tabThrough(page, "#pb-sidebar", all.length + 10);
  const missing = all.filter((href) => !reached.includes(href));
  if (all.length < 5) fail(`only ${all.length} navigation links drawn`);
  if (missing.length > 0) fail(`navigation links not reachable with Tab at 390px: ${missing.join(", ")}`);
  console.log(`390px: menu opened with Enter; ${reached.length}/${all.length} navigation links reached with Tab`);
  await page.keyboard.press("Escape");
  const afterEscape = await page.evaluate(() => ({
    expanded: document.querySelector(".menu-toggle").getAttribute("aria-expanded"),
    focus: document.activeElement.className,
  }));
  if (afterEscape.expanded !== "false" || afterEscape.focus !== "menu-toggle") fail(`Escape leaves the menu ${JSON.stringify(afterEscape)}`);
  await narrow.close();

  // Wide: the sidebar is in the tab order right after the header.
  const wide = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await wide.newPage();
  await page.goto(pageUrl(bookDir, rel));
  const wideLinks = await navLinks(page);
  const wideReached = await tabThrough(page, "#pb-sidebar", wideLinks.length + 15);
  const wideMissing = wideLinks.filter((href) => !wideReached.includes(href));
  if (wideMissing.length > 0) fail(`navigation links not reachable with Tab at 1280px: ${wideMissing.join(", ")}`);
  console.log(`1280px: ${wideReached.length}/${wideLinks.length} navigation links reached with Tab`);

  // Arrow keys follow previous and next.
  const next = await page.$eval('.pager a[rel="next"]', (a) => a.href);
  await page.locator("main").click({ position: { x: 5, y: 5 } });
  await Promise.all([page.waitForURL(next), page.keyboard.press("ArrowRight")]);
  const prev = await page.$eval('.pager a[rel="prev"]', (a) => a.href);
  await Promise.all([page.waitForURL(prev), page.keyboard.press("ArrowLeft")]);
  console.log("arrow keys: ArrowRight and ArrowLeft followed next and previous");
  await wide.close();
} finally {
  await browser.close();
}
