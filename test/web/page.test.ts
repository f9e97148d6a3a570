/**
 * The browser page (dist/web, built by `npm run build`), opened from its folder as file:// in
 * Debian's chromium: files chosen with the file input, or dropped (a real DataTransfer drop
 * event), give the rows `harden scan` gives for the same files: the same verdicts, statuses,
 * kinds and machines in the table, the same evidence and remedies in the details, and, byte
 * for byte, the same JSON document in the download. Nothing is fetched.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/gcc.js';
import { sarifErrors } from '../report/schemas.js';
import { harden } from '../scan/harness.js';
import { domRows, launchBrowser, SHOTS, type TestBrowser } from './browser.js';
import { expectedCounts, expectedRow, type JsonDocument } from './expected.js';
import { buildWebFixtures, type WebFixtures } from './fixtures.js';

const PAGE = join(REPO, 'dist', 'web', 'index.html');
const SLOW = 600_000;

let F: WebFixtures;
let B: TestBrowser;

function cli(format: string, extra: readonly string[] = []): { text: string; status: number } {
  const r = harden(['scan', '--no-config', '--format', format, ...extra, ...F.names], { cwd: F.dir });
  if (r.err !== '') throw new Error(`harden scan: ${r.err}`);
  return { text: r.out, status: r.status };
}

beforeAll(async () => {
  if (!existsSync(PAGE)) throw new Error(`${PAGE} is missing: run npm run build`);
  F = buildWebFixtures();
  B = await launchBrowser();
}, SLOW);

afterAll(async () => {
  await B?.close();
});

async function openPage(): Promise<Page> {
  const page = await B.newPage();
  await page.goto(pathToFileURL(PAGE).href);
  await page.waitForSelector('body[data-state=idle]');
  // Every row on one page, so the whole table can be compared.
  await page.selectOption('.v-size', '1000');
  return page;
}

async function finished(page: Page): Promise<void> {
  await page.waitForSelector('body[data-state=done]', { timeout: SLOW });
}

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return readFileSync(await file.path(), 'utf8');
}

interface SarifLike {
  runs: {
    tool: unknown;
    invocations: { exitCode: number; toolExecutionNotifications?: { message: { text: string } }[] }[];
    results: {
      ruleId: string;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string } }; logicalLocations?: unknown }[];
      suppressions?: unknown;
      properties?: unknown;
    }[];
  }[];
}

/** What SARIF consumers read, without what only a CLI run has (command line, working directory). */
function sarifFindings(doc: SarifLike): unknown {
  const run = doc.runs[0];
  return {
    tool: run?.tool,
    exitCode: run?.invocations[0]?.exitCode,
    notifications: run?.invocations[0]?.toolExecutionNotifications?.map((n) => n.message.text) ?? [],
    results: run?.results.map((r) => ({
      ruleId: r.ruleId,
      level: r.level,
      message: r.message.text,
      uri: r.locations[0]?.physicalLocation.artifactLocation.uri,
      logical: r.locations[0]?.logicalLocations,
      properties: r.properties,
      suppressions: r.suppressions,
    })),
  };
}

describe('the in-browser checker, opened as file://', () => {
  it('shows for chosen files what harden scan --format json says, and downloads the same JSON and SARIF', async () => {
    const json = cli('json');
    const doc = JSON.parse(json.text) as JsonDocument;
    expect(json.status).toBe(doc.summary.exitStatus);
    // The fixtures cover every verdict and packages, so the comparison means something.
    expect(doc.summary.verdicts.fail).toBeGreaterThan(0);
    expect(doc.summary.verdicts.error).toBeGreaterThan(0);
    expect(doc.summary.verdicts.pass).toBeGreaterThan(0);
    expect(new Set(doc.files.map((f) => f.machine)).size).toBeGreaterThanOrEqual(7);
    expect(doc.files.filter((f) => f.path.includes('.deb!') || f.path.includes('.rpm!') || f.path.includes('.tar.gz!')).length).toBeGreaterThan(0);

    const page = await openPage();
    await page.setInputFiles('#files', F.names.map((n) => join(F.dir, n)));
    await finished(page);

    expect(await domRows(page)).toEqual(doc.files.map(expectedRow));
    expect(await page.getAttribute('body', 'data-rows')).toBe(String(doc.files.length));
    const counts = await page.$$eval('#summary [data-count] b', (bs) => bs.map((b) => [b.parentElement?.dataset['count'], b.textContent]));
    expect(Object.fromEntries(counts)).toEqual(expectedCounts(doc.summary));

    expect(await download(page, '#download-json')).toBe(json.text);
    const sarif = JSON.parse(await download(page, '#download-sarif')) as SarifLike;
    expect(sarifErrors(sarif)).toBe('');
    expect(sarifFindings(sarif)).toEqual(sarifFindings(JSON.parse(cli('sarif').text) as SarifLike));
    await page.close();
  }, SLOW);

  it('shows the evidence and the fix of each check when a row is clicked, and filters failures', async () => {
    const doc = JSON.parse(cli('json').text) as JsonDocument;
    const weak = doc.files.find((f) => f.path === 'weak');
    const fortify = weak?.checks['fortify'];
    expect(fortify?.status).toBe('fail');

    const page = await openPage();
    await page.setInputFiles('#files', F.names.map((n) => join(F.dir, n)));
    await finished(page);
    await page.click('tr.file[data-path="weak"] td.path');
    const item = page.locator('tr.detail li[data-check="fortify"]');
    expect(await item.getAttribute('data-status')).toBe('fail');
    expect(await item.locator('.evidence').textContent()).toContain(fortify?.evidence ?? '?');
    expect(await item.locator('.remedy').textContent()).toBe(fortify?.remedy);
    // Every check of the file is listed, information checks included.
    expect(await page.$$eval('tr.detail li[data-check]', (lis) => lis.map((li) => (li as HTMLElement).dataset['check']))).toEqual(Object.keys(weak?.checks ?? {}));
    await page.locator('tr.detail').screenshot({ path: join(SHOTS, 'page-details.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'page.png') });

    await page.selectOption('.v-verdict', 'fail');
    const failed = doc.files.filter((f) => f.verdict === 'fail');
    expect((await domRows(page)).map((r) => r.path)).toEqual(failed.map((f) => f.path));
    await page.selectOption('.v-verdict', '');
    await page.selectOption('.v-check', 'pie');
    expect((await domRows(page)).map((r) => r.path)).toEqual(doc.files.filter((f) => f.checks['pie']?.status === 'fail' && f.checks['pie'].waiver === undefined).map((f) => f.path));
    await page.close();
  }, SLOW);

  it('scans files dropped on it (a drop event with a DataTransfer) the same way', async () => {
    const json = cli('json');
    const page = await openPage();
    const files = F.names.map((name) => ({ name, base64: readFileSync(join(F.dir, name)).toString('base64') }));
    await page.evaluate((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name));
      const zone = document.getElementById('drop');
      for (const type of ['dragenter', 'dragover', 'drop']) zone?.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files);
    await finished(page);
    expect(await domRows(page)).toEqual((JSON.parse(json.text) as JsonDocument).files.map(expectedRow));
    expect(await download(page, '#download-json')).toBe(json.text);
    await page.close();
  }, SLOW);

  it('walks a chosen folder as harden scan walks a directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'harden-folder-'));
    const tree = join(root, 'tree');
    mkdirSync(join(tree, 'lib', 'deeper'), { recursive: true });
    for (const [name, to] of [
      ['weak', 'weak'],
      ['hardened', 'b-hardened'],
      ['notes.txt', 'notes.txt'],
      ['libpair.a', 'lib/libpair.a'],
      ['aarch64-hardened', 'lib/deeper/aarch64'],
      ['hc-test-2.3.tar.gz', 'lib/hc-test-2.3.tar.gz'],
    ] as const) {
      copyFileSync(join(F.dir, name), join(tree, to));
    }
    const r = harden(['scan', '--no-config', '--format', 'json', 'tree'], { cwd: root });
    const doc = JSON.parse(r.out) as JsonDocument;
    // Sorted walk, non-ELF files skipped, members and package rows as the CLI names them.
    const paths = doc.files.map((f) => f.path);
    expect(paths.slice(0, 2)).toEqual(['tree/b-hardened', 'tree/lib/deeper/aarch64']);
    expect(paths.filter((p) => !p.startsWith('tree/lib/hc-test-2.3.tar.gz!'))).toEqual(['tree/b-hardened', 'tree/lib/deeper/aarch64', 'tree/lib/libpair.a!pair_a.o', 'tree/lib/libpair.a!pair_b.o', 'tree/weak']);
    expect(paths.length).toBeGreaterThan(8);
    const page = await openPage();
    await page.setInputFiles('#folder', tree);
    await finished(page);
    expect(await domRows(page)).toEqual(doc.files.map(expectedRow));
    expect(await download(page, '#download-json')).toBe(r.out);
    await page.close();
  }, SLOW);

  it('judges again, without reading the files again, when the profile changes', async () => {
    const kurento = cli('json', ['--profile', 'kurento']);
    const page = await openPage();
    await page.setInputFiles('#files', F.names.map((n) => join(F.dir, n)));
    await finished(page);
    await page.selectOption('#profile', 'kurento');
    expect(await page.textContent('#viewer th.req[data-sort="check:bindnow"]')).toBe('NOW');
    expect(await domRows(page)).toEqual((JSON.parse(kurento.text) as JsonDocument).files.map(expectedRow));
    expect(await download(page, '#download-json')).toBe(kurento.text);
    await page.close();
  }, SLOW);

  it('fetched nothing but its own files', () => {
    const foreign = B.requests.filter((u) => !u.startsWith(pathToFileURL(join(REPO, 'dist', 'web')).href + '/') && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(B.requests.length).toBeGreaterThan(0);
  });
});
