/**
 * A small static file server for `harden serve`: GET and HEAD of the files under one folder
 * (the built page), with their MIME types, never outside it (`..`, encoded or not, and symbolic
 * links that lead out are refused), no directory listings. Node only.
 */
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** The types the page's files need; anything else is served as bytes. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticServerOptions {
  /** The folder served. */
  readonly root: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface StaticServer {
  /** `http://HOST:PORT/`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The file a request path names inside `root` (already real), or undefined when it names none:
 * outside the root, a NUL, a bad escape. `/` and folders mean their index.html.
 */
export async function resolveRequest(root: string, urlPath: string): Promise<{ path: string; stats: Stats } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  // Normalised as a path under "/", `..` cannot climb above the root.
  const relative = normalize(`/${decoded}`).replace(/^\/+/, '');
  let path = join(root, relative);
  try {
    let stats = await stat(path);
    if (stats.isDirectory()) {
      path = join(path, 'index.html');
      stats = await stat(path);
    }
    // A symbolic link inside the folder may point out of it.
    const real = await realpath(path);
    if (real !== root && !real.startsWith(root + sep)) return undefined;
    return stats.isFile() ? { path: real, stats } : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  const pathname = (req.url ?? '/').split('?')[0]?.split('#')[0] ?? '/';
  const found = await resolveRequest(root, pathname);
  if (found === undefined) return send(res, 404, 'not found\n');
  res.writeHead(200, {
    'Content-Type': mimeType(found.path),
    'Content-Length': found.stats.size,
    // The page is rebuilt in place by `npm run build`: never serve a stale copy.
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(found.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

export async function startStaticServer(opts: StaticServerOptions): Promise<StaticServer> {
  const root = await realpath(opts.root);
  const server: Server = createServer((req, res) => {
    handle(root, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
