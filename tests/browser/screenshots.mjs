// Screenshots of every page kind, for a person to look at (not a test):
// home, a content page, a level page, the matrix, and the decision page at
// its start, mid-walk and at an outcome; at 390, 1280 and 1536 px, in light
// and dark. Also the print PDFs of the decision page's diagnosis and of the
// whole book.
//   node screenshots.mjs BOOK_DIR OUT_DIR [WIDTH...]
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { launch, pageUrl } from "./lib.mjs";

const [bookDir, outDir, ...widthArgs] = process.argv.slice(2);
const widths = widthArgs.length ? widthArgs.map(Number) : [390, 1280, 1536];
const shots = [
  ["home", "index.html"],
  ["content", "strategy-problems/index.html"],
  ["level", "levels/execution/index.html"],
  ["matrix", "matrix/index.html"],
  ["decision-start", "diagnose/index.html"],
  ["decision-mid", "diagnose/index.html#walk=0.0"],
  ["decision-outcome", "diagnose/index.html#walk=0.1"],
  ["print-book", "print.html"],
];
await mkdir(outDir, { recursive: true });
const browser = await launch();
try {
  for (const scheme of ["light", "dark"]) {
    for (const width of widths) {
      const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, colorScheme: scheme });
      const page = await context.newPage();
      for (const [name, rel] of shots) {
        await page.goto(pageUrl(bookDir, rel.split("#")[0]) + (rel.includes("#") ? "#" + rel.split("#")[1] : ""));
        await page.waitForTimeout(150);
        const file = path.join(outDir, `${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      await context.close();
    }
  }
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto(pageUrl(bookDir, "diagnose/index.html") + "#walk=0.1");
  await page.waitForTimeout(150);
  await page.pdf({ path: path.join(outDir, "diagnosis.pdf"), format: "A4" });
  await page.goto(pageUrl(bookDir, "strategy-problems/index.html"));
  await page.pdf({ path: path.join(outDir, "content-page.pdf"), format: "A4" });
  await page.goto(pageUrl(bookDir, "print.html"));
  await page.pdf({ path: path.join(outDir, "print-book.pdf"), format: "A4" });
  console.log(path.join(outDir, "diagnosis.pdf"));
} finally {
  await browser.close();
}
