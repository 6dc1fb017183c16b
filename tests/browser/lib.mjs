// Shared by the browser checks: start Debian's Chromium through
// playwright-core (no browser download), and small helpers.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

/** The file:// URL of a page of the built book. */
export function pageUrl(bookDir, rel) {
  return pathToFileURL(path.join(bookDir, rel)).href;
}

/** Fails the check with a message; the Rust test prints stdout and stderr. */
export function fail(message) {
  console.error("FAIL: " + message);
  process.exitCode = 1;
}
