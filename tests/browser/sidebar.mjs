// The sidebar an mdBook's SUMMARY.md makes (issue 14), as a reader on a
// phone meets it: nested chapters are indented under their parent, the
// draft chapter is shown but is no link, the current page is marked, and
// clicking a nested chapter opens it.
//   node sidebar.mjs BOOK_DIR
import { launch, pageUrl, fail } from "./lib.mjs";

const [bookDir] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(pageUrl(bookDir, "on-call/paging/index.html"));
  await page.click(".menu-toggle");
  await page.waitForSelector("#pb-sidebar a[aria-current=page]", { state: "visible" });
  // The menu slides in: measure once it stands still.
  await page.waitForFunction(() => {
    const left = document.querySelector("#pb-sidebar").getBoundingClientRect().left;
    const still = window.lastLeft === left;
    window.lastLeft = left;
    return still && left >= 0;
  }, null, { polling: 100 });
  const left = (text) =>
    page.$eval(`#pb-sidebar`, (nav, text) => {
      const item = [...nav.querySelectorAll("a, .nav-draft")].find((e) => e.textContent.trim() === text);
      return item ? item.getBoundingClientRect().left : null;
    }, text);
  const [parent, child, grandchild, draft] = await Promise.all(
    ["Being on call", "Answering a page", "Escalating", "Handing over"].map(left),
  );
  if (parent === null || child === null || grandchild === null || draft === null) {
    fail(`a chapter is missing from the sidebar: ${[parent, child, grandchild, draft]}`);
  } else if (!(parent < child && child < grandchild)) {
    fail(`nesting is not shown: ${parent} / ${child} / ${grandchild} px`);
  } else if (Math.abs(draft - child) > 1) {
    fail(`the draft is not at its parent's depth: ${draft} against ${child} px`);
  } else {
    console.log(`NESTED chapters start at ${parent}, ${child}, ${grandchild} px`);
  }
  const current = await page.$eval("#pb-sidebar a[aria-current=page]", (a) => a.textContent.trim());
  if (current !== "Answering a page") fail(`the current page marked is ${current}`);
  const draftIsLink = await page.$eval("#pb-sidebar .nav-draft", (d) => d.closest("a") !== null);
  if (draftIsLink) fail("the draft chapter is a link");
  else console.log("DRAFT shown, not linked");
  await Promise.all([page.waitForURL(/on-call\/escalation\/index\.html$/), page.click("#pb-sidebar >> text=Escalating")]);
  const title = await page.$eval("h1", (h) => h.textContent);
  if (title !== "Escalating") fail(`clicking Escalating opened ${title}`);
  else console.log("CLICKED a nested chapter: Escalating");
} finally {
  await browser.close();
}
