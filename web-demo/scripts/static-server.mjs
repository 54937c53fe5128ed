// A tiny static file server (no dependencies) for the demo and its end-to-end test.
//
//   node web-demo/scripts/static-server.mjs [--root DIR] [--port N] [--host H]
//
// Serves DIR (default: the repository root, so the page at /web-demo/ can import
// ../bindings/wasm/pkg/web/) with the right MIME types, `application/wasm` included.

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".yaml": "text/yaml; charset=utf-8",
  ".yml": "text/yaml; charset=utf-8",
  ".jsonl": "application/x-ndjson; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Starts the server; resolves to `{server, url}` once it listens (port 0 = a free one). */
export function startServer({ root = repoRoot, port = 0, host = "127.0.0.1", log = false } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      let path = normalize(join(base, decodeURIComponent(url.pathname)));
      if (path !== base && !path.startsWith(base + sep)) {
        res.writeHead(403).end("forbidden");
        return;
      }
      let info = await stat(path).catch(() => null);
      if (info?.isDirectory()) {
        if (!url.pathname.endsWith("/")) {
          res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
          return;
        }
        path = join(path, "index.html");
        info = await stat(path).catch(() => null);
      }
      if (!info?.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        if (log) console.log(`404 ${req.url}`);
        return;
      }
      res.writeHead(200, {
        "content-type": TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
        "content-length": info.size,
        "cache-control": "no-cache",
      });
      if (req.method === "HEAD") res.end();
      else createReadStream(path).pipe(res);
      if (log) console.log(`200 ${req.url}`);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  return new Promise((resolveStart, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolveStart({ server, url: `http://${host}:${actual}` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const { url } = await startServer({
    root: opt("root", repoRoot),
    port: Number(opt("port", 8000)),
    host: opt("host", "127.0.0.1"),
    log: args.includes("--log"),
  });
  console.log(`Serving ${resolve(opt("root", repoRoot))} at ${url}/`);
  console.log(`Open the demo: ${url}/web-demo/`);
}
