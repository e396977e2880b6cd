// A tiny static file server for the e2e tests (no dependencies): serves dist/ (which
// holds the dashboard and, copied by trunk, examples/host/ and examples/npm/) at "/",
// the core's npm package (target/npm/phase7-core) at "/pkg/", and extra folders under
// given prefixes (e.g. "/fixtures/"), on 127.0.0.1 at a free port.
//
//   node server.mjs [port]   serves dist/, /pkg/ and /fixtures/ (tests/fixtures) until
//                            stopped (for looking at the pages)

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
export const repoRoot = resolve(here, "..", "..");
export const distDir = join(repoRoot, "dist");
/** The core's npm package (`bash scripts/npm.sh`), served at /pkg/ for examples/npm/. */
export const npmDir = join(repoRoot, "target", "npm", "phase7-core");
export const fixturesDir = join(repoRoot, "tests", "fixtures");

/**
 * The Content-Security-Policy every page is served with: the strictest one the
 * dashboard, mount() and the example pages work under (docs/dashboard.md explains each
 * directive). No 'unsafe-inline' and no 'unsafe-eval' anywhere; 'wasm-unsafe-eval' only
 * lets the page compile its own WebAssembly.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Maps a URL path onto a file under root, refusing anything that escapes it. */
function under(root, urlPath) {
  const rel = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, "");
  const full = resolve(root, rel);
  return full === root || full.startsWith(root + sep) ? full : null;
}

/**
 * Starts the server. `mounts` maps URL prefixes (ending in "/") to folders; "/" is dist/.
 * `/slow/<ms>/<path>` serves `<path>` after `ms` milliseconds and `/never/<path>` never
 * answers (both for the load-race and timeout tests).
 * Resolves to { url, requests, close() } where `requests` lists every path served.
 */
export function serve({ mounts = {}, port = 0 } = {}) {
  const table = Object.entries({ "/pkg/": npmDir, ...mounts, "/": distDir }).sort(
    (a, b) => b[0].length - a[0].length,
  );
  const requests = [];
  const hanging = new Set();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    requests.push(url.pathname + url.search);
    if (url.pathname.startsWith("/never/")) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    const slow = url.pathname.match(/^\/slow\/(\d+)(\/.*)$/);
    if (slow) {
      await new Promise((done) => setTimeout(done, Math.min(Number(slow[1]), 30_000)));
      url.pathname = slow[2];
    }
    const [prefix, root] = table.find(([p]) => url.pathname.startsWith(p)) ?? [];
    let file = root ? under(root, url.pathname.slice(prefix.length)) : null;
    try {
      if (file && (await stat(file)).isDirectory()) file = join(file, "index.html");
      if (!file) throw new Error("outside");
      const body = await readFile(file);
      // `?chunked=1` leaves out Content-Length (a body of undeclared size).
      const headers = {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
      };
      if (url.searchParams.get("chunked") !== "1") headers["content-length"] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      ok({
        url: `http://127.0.0.1:${bound}`,
        requests,
        close: () => {
          for (const res of hanging) res.destroy();
          server.closeAllConnections?.();
          return new Promise((done) => server.close(done));
        },
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? 8080);
  const s = await serve({ port, mounts: { "/fixtures/": fixturesDir } });
  console.log(
    `serving ${distDir} at ${s.url}/ (host page: ${s.url}/examples/host/, npm example: ${s.url}/examples/npm/)`,
  );
}
