// axe-core on the given pages, at 1280 and 390 px, in light and dark: no
// serious or critical violation may remain. A page may carry a ?query
// (search/index.html?q=...), a #hash (a decision walk's state, #walk=0.1),
// or `!words`: typed into the header's search field, so that its results
// are open when axe runs.
//   node a11y.mjs BOOK_DIR PAGE...
import { createRequire } from "node:module";
import { launch, pageUrl, fail } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [bookDir, ...pages] = process.argv.slice(2);
const browser = await launch();
let checked = 0;
try {
  for (const [width, scheme] of [[1280, "light"], [390, "light"], [1280, "dark"], [390, "dark"]]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    for (const rel of pages) {
      const [address, typed] = rel.split("!");
      const [withQuery, hash] = address.split("#");
      const [file, query] = withQuery.split("?");
      await page.goto(pageUrl(bookDir, file) + (query ? "?" + query : "") + (hash ? "#" + hash : ""));
      await page.waitForTimeout(50);
      if (typed) {
        if (width < 700) await page.click("#pb-search-open");
        await page.fill("#pb-search-input", typed);
        await page.waitForSelector("#pb-search-list [role=option]", { timeout: 10000 });
      } else if (query) {
        await page.waitForSelector("#pb-search-page-results .sr-option", { timeout: 10000 });
      }
      await page.addScriptTag({ path: axePath });
      const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      for (const v of bad) {
        fail(`${rel} at ${width}px ${scheme}: ${v.id} (${v.impact}): ${v.help}: ` + v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(" | "));
      }
      const minor = results.violations.length - bad.length;
      console.log(`${rel} at ${width}px ${scheme}: ${bad.length} serious/critical, ${minor} minor violations`);
      checked += 1;
    }
    await context.close();
  }
} finally {
  await browser.close();
}
if (checked !== pages.length * 4) fail(`checked ${checked} page views, expected ${pages.length * 4}`);
