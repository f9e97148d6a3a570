/**
 * A real browser for the page and report tests: Debian's chromium (installed by .ci/run, never
 * downloaded) driven by playwright-core, in a fresh profile, with the flags that keep it from
 * talking to Google. Every request any page or worker makes is recorded, and any that would
 * leave the machine is refused, so a test can assert that nothing was fetched.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CACHE } from '../helpers/gcc.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

/** Where screenshots go (test/.cache is ignored by git). */
export const SHOTS = join(CACHE, 'web');

export interface TestBrowser {
  readonly context: BrowserContext;
  /** Every URL requested so far, by any page or worker, in order. */
  readonly requests: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts chromium. `allowHttp` lets requests to that origin through (the `harden serve` test);
 * every other http(s)/ws request is aborted.
 */
export async function launchBrowser(opts: { allowHttp?: string } = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`);
  mkdirSync(SHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'harden-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route(/^(https?|wss?|ftp):/i, (route) => {
    const url = route.request().url();
    return opts.allowHttp !== undefined && url.startsWith(opts.allowHttp) ? route.continue() : route.abort();
  });
  const errors: string[] = [];
  return {
    context,
    requests,
    async newPage() {
      const page = await context.newPage();
      // A script error in the page fails the test that caused it, with the message.
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`errors in the page:\n${errors.join('\n')}`);
    },
  };
}

/** What a row of the file table shows: the attributes and cells the viewer writes. */
export interface DomRow {
  readonly path: string;
  readonly verdict: string;
  readonly kind: string;
  readonly machine: string;
  readonly why: string;
  /** Hardening check id → status shown (`''` when the analysis produced none); empty for a file without checks. */
  readonly checks: Record<string, string>;
}

/** The rows of the file table now in the DOM (one page of it), in display order. */
export function domRows(page: Page): Promise<DomRow[]> {
  return page.$$eval('#viewer tr.file', (trs) =>
    trs.map((tr) => {
      const el = tr as HTMLElement;
      const text = (sel: string): string => el.querySelector(sel)?.textContent ?? '';
      const checks: Record<string, string> = {};
      for (const td of Array.from(el.querySelectorAll<HTMLElement>('td[data-check]'))) checks[td.dataset['check'] ?? ''] = td.dataset['status'] ?? '';
      return { path: el.dataset['path'] ?? '', verdict: el.dataset['verdict'] ?? '', kind: text('td.kind'), machine: text('td.machine'), why: text('td.why'), checks };
    }),
  );
}
