// The browser half of bench/search.py (issue 13): for each query, in a
// fresh browser context (nothing cached), type it into the header's field
// of the book opened from disk and record
// - the bytes of the index files it loaded (search/*.js beside search.js),
// - then, with those files loaded, the time from a keystroke to the new
//   results on screen, over several keystrokes.
// Prints one JSON line per query.
//   node search_bench.mjs BOOK_DIR QUERY...
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, pageUrl } from "./lib.mjs";

const [bookDir, ...queries] = process.argv.slice(2);
const browser = await launch();
try {
  for (const query of queries) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const loaded = new Set();
    page.on("request", (request) => {
      const url = request.url();
      if (url.startsWith("file:")) loaded.add(fileURLToPath(url.split("?")[0]));
    });
    await page.goto(pageUrl(bookDir, "index.html"));
    await page.click("#pb-search-input");
    const started = Date.now();
    // As a fast typist types: eight keystrokes a second.
    await page.keyboard.type(query, { delay: 125 });
    await page.waitForFunction((q) => document.getElementById("pb-search-input").value === q &&
      document.getElementById("pb-search-count").textContent !== "", query, { timeout: 60000 });
    await page.waitForTimeout(300);
    const firstMs = Date.now() - started;
    const index = [...loaded].filter((f) => f.includes(path.sep + "search" + path.sep));
    const bytes = (files) => files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
    const kinds = {};
    for (const f of index) {
      const kind = path.relative(path.join(bookDir, "search"), f).split(path.sep)[0].replace(/\.js$/, "");
      kinds[kind] = (kinds[kind] || 0) + fs.statSync(f).size;
    }
    const scripts = [...loaded].filter((f) => /assets[\\/]search(-stem)?\.js$/.test(f));
    // Keystrokes with the index loaded: take the last letter away and
    // put it back, timing keydown to the list redrawn.
    await page.evaluate(() => {
      window.__times = [];
      document.addEventListener("keydown", () => { window.__down = performance.now(); }, true);
      new MutationObserver(() => {
        if (window.__down) { window.__times.push(performance.now() - window.__down); window.__down = 0; }
      }).observe(document.getElementById("pb-search-list"), { childList: true });
    });
    // The first round loads what the shorter query needs; the next ones
    // are timed.
    const last = query.slice(-1);
    for (let i = 0; i < 7; i++) {
      if (i === 1) await page.evaluate(() => { window.__times = []; });
      for (const key of ["Backspace", last]) {
        const before = await page.evaluate(() => window.__times.length);
        await page.keyboard.press(key);
        await page.waitForFunction((n) => window.__times.length > n, before, { timeout: 10000 }).catch(() => {});
        await page.waitForTimeout(200);
      }
    }
    const times = (await page.evaluate(() => window.__times)).sort((a, b) => a - b);
    const results = await page.$eval("#pb-search-count", (c) => c.textContent);
    console.log(JSON.stringify({
      query, results, index_bytes: bytes(index), files: index.length, by_kind: kinds,
      script_bytes: bytes(scripts), first_results_ms: firstMs,
      keystroke_ms_median: times[Math.floor(times.length / 2)], keystroke_ms_max: times[times.length - 1],
    }));
    await context.close();
  }
} finally {
  await browser.close();
}
