// Live reload, end to end: edit a page's Markdown and see the new text
// without reloading by hand, scroll position kept; break its frontmatter
// and see the overlay with file:line while the old content stays; fix it
// and see the overlay go.
//   node live.mjs BASE_URL PAGE_PATH MARKDOWN_FILE
import fs from "node:fs";
import { launch, fail } from "./lib.mjs";

const [base, pagePath, file] = process.argv.slice(2);
const original = fs.readFileSync(file, "utf8");
const browser = await launch();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 500 } })).newPage();
  let navigations = 0;
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) navigations++; });
  await page.goto(base + pagePath);
  await page.waitForFunction(() => document.querySelector("script[src='/__playbook/live.js']"));
  await page.waitForTimeout(300); // the event stream connects
  await page.evaluate(() => window.scrollTo(0, 400));
  const scrolled = await page.evaluate(() => window.scrollY);

  // 1. An edit to the body appears by itself.
  fs.writeFileSync(file, original.replace("Beta body.", "Beta body, edited live."));
  await page.waitForFunction(() => document.body.innerText.includes("Beta body, edited live."), null, { timeout: 10000 });
  const after = await page.evaluate(() => window.scrollY);
  if (Math.abs(after - scrolled) > 5) fail(`scroll position not kept: ${scrolled} before, ${after} after`);
  console.log(`EDIT shown without a manual reload (scroll ${scrolled} -> ${after})`);

  // 2. Broken frontmatter: the overlay names file:line; the old content stays.
  const before = navigations;
  fs.writeFileSync(file, original.replace("Beta body.", "Beta body, edited live.").replace("title: Beta", "title: [Beta"));
  await page.waitForSelector("#playbook-error-overlay", { timeout: 10000 });
  const overlay = await page.$eval("#playbook-error-overlay", (o) => o.innerText);
  if (!/content\/beta\.md:2:\d+/.test(overlay)) fail(`overlay lacks file:line: ${overlay}`);
  if (!overlay.includes("error[E302]")) fail(`overlay lacks the error: ${overlay}`);
  const stillThere = await page.evaluate(() => document.body.innerText.includes("Beta body, edited live."));
  if (!stillThere) fail("the last good content disappeared");
  if (navigations !== before) fail("a broken build reloaded the page");
  console.log("OVERLAY " + overlay.split("\n").filter((l) => l.includes("-->")).map((l) => l.trim()).join(" | "));

  // 3. Fixing it clears the overlay.
  fs.writeFileSync(file, original.replace("Beta body.", "Beta body, fixed."));
  await page.waitForFunction(() => document.body.innerText.includes("Beta body, fixed."), null, { timeout: 10000 });
  const gone = await page.$("#playbook-error-overlay");
  if (gone) fail("the overlay stayed after the fix");
  console.log("FIXED overlay gone");
} finally {
  fs.writeFileSync(file, original);
  await browser.close();
}
