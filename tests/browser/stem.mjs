// The stemmer search.js runs on a query (search-stem.js) against the one
// that made the index (rust-stemmers): the same stem for every word of a
// list, in Chromium (issue 13).
//   node stem.mjs STEM_JS WORDS_JSON     (WORDS_JSON: [[word, stem], ...])
import fs from "node:fs";
import { launch, fail } from "./lib.mjs";

const [stemJs, wordsJson] = process.argv.slice(2);
const pairs = JSON.parse(fs.readFileSync(wordsJson, "utf8"));
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.setContent("<!DOCTYPE html><title>stem</title>");
  await page.addScriptTag({ path: stemJs });
  const differ = await page.evaluate((pairs) => pairs.filter(([w, s]) => window.playbookStem(w) !== s).map(([w, s]) => [w, s, window.playbookStem(w)]), pairs);
  for (const [word, rust, js] of differ.slice(0, 20)) fail(`${word}: rust-stemmers says ${rust}, search-stem.js ${js}`);
  console.log(`STEMS ${pairs.length} words, ${differ.length} differ`);
} finally {
  await browser.close();
}
