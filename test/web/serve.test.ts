/**
 * `harden serve`: serves the built page on localhost (the built CLI, as users run it): the URL
 * it prints answers with the page and its script under the right MIME types, nothing outside
 * the page's folder is reachable, and the page works from there as it does from file://. It
 * stops on SIGTERM with status 0.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeType, resolveRequest } from '../../src/serve/static-server.js';
import { HARDEN, harden } from '../scan/harness.js';
import { domRows, launchBrowser } from './browser.js';
import { expectedRow, type JsonDocument } from './expected.js';
import { buildTree } from '../scan/fixtures.js';

const SLOW = 600_000;
let server: ChildProcessWithoutNullStreams;
let url: string;
let exited: Promise<number | null>;

beforeAll(async () => {
  server = spawn(HARDEN, ['serve', '--port', '0'], { stdio: 'pipe' });
  exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^Serving the hardening checker at (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C to stop\)\n/.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`harden serve exited with ${code}: ${out}`)));
  });
}, SLOW);

afterAll(() => {
  if (server.exitCode === null) server.kill('SIGKILL');
});

/** A GET with the path sent as written (fetch would normalise `..` away). */
function rawGet(path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { path, method }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('harden serve', () => {
  it('serves the page and its script with their MIME types', async () => {
    const page = await rawGet('/');
    expect([page.status, page.type]).toEqual([200, 'text/html; charset=utf-8']);
    const script = /<script defer src="\.\/(assets\/[^"]+\.js)"><\/script>/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    expect((await rawGet('/index.html')).body).toBe(page.body);
    const asset = await rawGet(`/${script ?? ''}`);
    expect([asset.status, asset.type]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(asset.body.length).toBeGreaterThan(100_000);
    expect((await rawGet(`/${script ?? ''}`, 'HEAD')).body).toBe('');
  });

  it('reaches nothing outside the page folder, and lists no directory', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json', '/..%5c..%5cpackage.json', '/%00', '/nonexistent', '/%E0%A4%A']) {
      expect((await rawGet(path)).status, path).toBe(404);
    }
    expect((await rawGet('/assets/')).status).toBe(404);
    expect((await rawGet('/', 'POST')).status).toBe(405);
  });

  it('does not follow a symbolic link out of the folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'harden-serve-'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'index.html'), 'hi');
    symlinkSync('/etc/hostname', join(root, 'out'));
    expect((await resolveRequest(root, '/sub/'))?.path).toBe(join(root, 'sub', 'index.html'));
    expect(await resolveRequest(root, '/out')).toBeUndefined();
    expect([mimeType('a/b.JS'), mimeType('x.wasm'), mimeType('x.bin')]).toEqual(['text/javascript; charset=utf-8', 'application/wasm', 'application/octet-stream']);
  });

  it('serves a page that scans as harden scan does', async () => {
    const t = buildTree();
    const dir = mkdtempSync(join(tmpdir(), 'harden-serve-'));
    const names = ['weak', 'libpair.a', 'notes.txt'];
    [t.weak, t.archive, t.text].forEach((from, i) => copyFileSync(from, join(dir, names[i] ?? '')));
    const doc = JSON.parse(harden(['scan', '--no-config', '--format', 'json', ...names], { cwd: dir }).out) as JsonDocument;
    const B = await launchBrowser({ allowHttp: url });
    try {
      const page = await B.newPage();
      await page.goto(url);
      await page.setInputFiles('#files', names.map((n) => join(dir, n)));
      await page.waitForSelector('body[data-state=done]', { timeout: SLOW });
      expect(await domRows(page)).toEqual(doc.files.map(expectedRow));
      expect(B.requests.filter((u) => !u.startsWith(url) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await B.close();
    }
  }, SLOW);

  it('refuses a port in use or a bad port (status 2), and stops on SIGTERM with status 0', async () => {
    const port = new URL(url).port;
    const taken = harden(['serve', '--port', port]);
    expect([taken.status, taken.err]).toEqual([2, `harden serve: cannot listen on 127.0.0.1:${port}: address in use (try --port 0)\n`]);
    const bad = harden(['serve', '--port', '70000']);
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/--port must be a number from 0 to 65535/);
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
