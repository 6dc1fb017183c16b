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

/**
 * Serves a built book over http://127.0.0.1 on a free port, for the checks
 * that need what only an http:// origin promises (storage shared by all the
 * book's pages). Returns its base URL and a close function.
 */
export async function serveBook(bookDir) {
  const { createServer } = await import("node:http");
  const { readFile } = await import("node:fs/promises");
  const root = path.resolve(bookDir);
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };
  const server = createServer(async (req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(root, "." + rel);
    if (file !== root && !file.startsWith(root + path.sep)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}
