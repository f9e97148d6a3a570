/**
 * `harden scan --format html`, opened as file:// in Debian's chromium: one file that fetches
 * nothing, whose counts, chart and rows are those of `--format json` for the same files; its
 * table sorts, filters, shows evidence and remedies, and pages a large scan instead of putting
 * every row in the DOM. The writer streams (each file is written when judged) and escapes what
 * the files say, so a hostile path cannot run script in the report.
 */
import { linkSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Policy } from '../../src/policy/policy.js';
import { SummaryBuilder } from '../../src/policy/summary.js';
import { HtmlReport } from '../../src/report/html.js';
import { rowObject } from '../report/row-object.js';
import { type FileResult } from '../../src/scan/result.js';
import { gcc } from '../helpers/gcc.js';
import { CHECK_INFO, context, harden } from '../scan/harness.js';
import { HARDENED_FLAGS, PROGRAM, WEAK_FLAGS } from '../scan/fixtures.js';
import { domRows, launchBrowser, SHOTS, type TestBrowser } from './browser.js';
import { expectedCounts, expectedRow, HARDENING, type JsonDocument, type JsonFile } from './expected.js';
import { buildWebFixtures, type WebFixtures } from './fixtures.js';

const SLOW = 600_000;
let F: WebFixtures;
let B: TestBrowser;
let out: string;
let doc: JsonDocument;
let html: string;
let htmlStatus: number;

beforeAll(async () => {
  F = buildWebFixtures();
  out = mkdtempSync(join(tmpdir(), 'harden-report-'));
  const json = harden(['scan', '--no-config', '--format', 'json', ...F.names], { cwd: F.dir });
  doc = JSON.parse(json.out) as JsonDocument;
  const r = harden(['scan', '--no-config', '--format', 'html', '--output', join(out, 'report.html'), ...F.names], { cwd: F.dir });
  expect([r.err, r.out]).toEqual(['', '']);
  htmlStatus = r.status;
  html = readFileSync(join(out, 'report.html'), 'utf8');
  B = await launchBrowser();
}, SLOW);

afterAll(async () => {
  await B?.close();
});

async function open(file: string): Promise<Page> {
  const page = await B.newPage();
  const before = B.requests.length;
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('#viewer tr.file');
  // The report is one file: the only request is for the report itself.
  expect(B.requests.slice(before)).toEqual([pathToFileURL(file).href]);
  return page;
}

function matching(text: string): JsonFile[] {
  const t = text.toLowerCase();
  return doc.files.filter((f) => [f.path, f.kind, f.machine ?? '', f.error ?? '', f.note ?? '', f.failed.join(' ')].some((s) => s.toLowerCase().includes(t)));
}

describe('harden scan --format html', () => {
  it('is one self-contained file: inline style and script, no external reference', () => {
    expect(htmlStatus).toBe(doc.summary.exitStatus);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|source)\b[^>]*\b(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html.match(/<script>/g)?.length).toBe(1);
  });

  it('shows the counts, the chart and the rows of --format json', async () => {
    const page = await open(join(out, 'report.html'));
    const s = doc.summary;
    const counts = await page.$$eval('[data-count] b', (bs) => bs.map((b) => [b.parentElement?.dataset['count'], b.textContent]));
    expect(Object.fromEntries(counts)).toEqual(expectedCounts(s));
    // The chart: a bar per hardening check, a segment per status with its count.
    const chart = await page.$$eval('svg.chart g[data-check]', (gs) =>
      gs.map((g) => [(g as SVGGElement).dataset['check'], Object.fromEntries(Array.from(g.querySelectorAll('rect')).map((r) => [r.dataset['status'], Number(r.dataset['count'])]))]),
    );
    const expected = HARDENING.filter((id) => s.checks[id] !== undefined).map((id) => {
      const c = s.checks[id] ?? {};
      return [id, Object.fromEntries(Object.entries(c).filter(([k, v]) => k !== 'waived' && v > 0))];
    });
    expect(chart).toEqual(expected);
    expect(await page.title()).toBe(`harden scan: ${s.files} files, ${s.verdicts.fail} failed, ${s.verdicts.error} not analysed`);

    await page.selectOption('.v-size', '1000');
    expect(await domRows(page)).toEqual(doc.files.map(expectedRow));
    await page.close();
  }, SLOW);

  it('sorts, filters and shows the evidence and remedy of each check', async () => {
    const page = await open(join(out, 'report.html'));
    await page.selectOption('.v-size', '1000');
    const paths = doc.files.map((f) => f.path);
    const byPath = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    await page.click('th[data-sort="path"]');
    expect((await domRows(page)).map((r) => r.path)).toEqual(byPath);
    expect(await page.getAttribute('th[data-sort="path"]', 'aria-sort')).toBe('ascending');
    await page.click('th[data-sort="path"]');
    expect((await domRows(page)).map((r) => r.path)).toEqual([...byPath].reverse());
    // Worst first, scan order within a verdict.
    await page.click('th[data-sort="verdict"]');
    const rank: Record<string, number> = { fail: 0, error: 1, pass: 2, skipped: 3 };
    const worst = doc.files.map((f, i) => ({ f, i })).sort((a, b) => (rank[a.f.verdict] ?? 9) - (rank[b.f.verdict] ?? 9) || a.i - b.i);
    expect((await domRows(page)).map((r) => r.path)).toEqual(worst.map((x) => x.f.path));

    await page.fill('.v-filter', 'LIBPAIR');
    expect((await domRows(page)).map((r) => r.path)).toEqual(worst.map((x) => x.f).filter((f) => matching('libpair').includes(f)).map((f) => f.path));
    expect(await page.textContent('.v-count')).toBe(`Showing 1\u2013${matching('libpair').length} of ${matching('libpair').length} files (filtered from ${doc.files.length})`);
    await page.fill('.v-filter', '');
    await page.selectOption('.v-verdict', 'fail');
    expect((await domRows(page)).map((r) => r.verdict)).toEqual(doc.files.filter((f) => f.verdict === 'fail').map(() => 'fail'));
    await page.selectOption('.v-verdict', '');
    await page.click('th[data-sort="path"]');

    const weak = doc.files.find((f) => f.path === 'weak');
    await page.click('tr.file[data-path="weak"] td.path');
    for (const id of ['pie', 'relro', 'stack-protector', 'fortify']) {
      const c = weak?.checks[id];
      const item = page.locator(`tr.detail li[data-check="${id}"]`);
      expect(await item.getAttribute('data-status')).toBe('fail');
      expect(await item.locator('.evidence').textContent()).toContain(c?.evidence ?? '?');
      expect(await item.locator('.remedy').textContent()).toBe(c?.remedy);
    }
    await page.click('th[data-sort="verdict"]');
    await page.locator('tr.detail').screenshot({ path: join(SHOTS, 'report-details.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'report.png') });
    await page.close();
  }, SLOW);

  it('pages a scan of thousands of files: one page of rows in the DOM', async () => {
    const dir = join(out, 'many');
    mkdirSync(dir);
    const good = gcc(PROGRAM, HARDENED_FLAGS, 'hardened');
    const bad = gcc(PROGRAM, WEAK_FLAGS, 'weak');
    const N = 3000;
    for (let i = 0; i < N; i++) linkSync(i % 2 === 0 ? good : bad, join(dir, `f${String(i).padStart(5, '0')}`));
    const r = harden(['scan', '--no-config', '--format', 'html', '--output', join(out, 'many.html'), dir]);
    expect([r.status, r.err]).toEqual([1, '']);
    const page = await open(join(out, 'many.html'));
    expect(await page.getAttribute('#viewer', 'data-total')).toBe(String(N));
    expect(await page.locator('#viewer tr.file').count()).toBe(100);
    expect(await page.textContent('.v-count')).toBe('Showing 1\u2013100 of 3,000 files');
    await page.click('.v-next');
    expect((await domRows(page))[0]?.path).toBe(join(dir, 'f00100'));
    await page.selectOption('.v-verdict', 'fail');
    expect(await page.getAttribute('#viewer', 'data-matching')).toBe(String(N / 2));
    expect(await page.locator('#viewer tr.file').count()).toBe(100);
    expect(new Set((await domRows(page)).map((row) => row.verdict))).toEqual(new Set(['fail']));
    await page.close();
  }, SLOW);

  it('escapes what files say: a path holding </script> is shown as text, never run', async () => {
    const hostile = 'evil</script><script>window.pwned=1</script><!--.so';
    const rows: FileResult[] = [
      { path: hostile, kind: 'not-elf', error: '<img src=x onerror="window.pwned=2">', checks: {} },
      { path: 'ok', kind: 'shared-library', machine: 'x86-64', checks: { pie: { status: 'not-applicable', evidence: 'a </script> in evidence' } } },
    ];
    const policy = new Policy();
    const parts: string[] = [];
    const report = new HtmlReport(context(policy), { write: (t) => void parts.push(t) });
    const summary = new SummaryBuilder();
    for (const f of rows) {
      const judged = policy.judge(f);
      summary.add(judged);
      report.file(judged);
    }
    report.end(summary.build(CHECK_INFO.map((c) => c.id)));
    const file = join(out, 'hostile.html');
    writeFileSync(file, parts.join(''));
    const page = await open(file);
    expect(await page.evaluate(() => Reflect.get(window, 'pwned'))).toBeUndefined();
    expect((await domRows(page)).map((r) => [r.path, r.why])).toEqual([
      [hostile, '<img src=x onerror="window.pwned=2">'],
      ['ok', ''],
    ]);
    await page.close();
  }, SLOW);

  it('streams: each file is written as it is judged', () => {
    const policy = new Policy();
    const parts: string[] = [];
    const report = new HtmlReport(context(policy), { write: (t) => void parts.push(t) });
    const head = parts.join('');
    expect(head).toContain('<style>');
    const f = policy.judge({ path: 'a', kind: 'shared-library', machine: 'x86-64', checks: { pie: { status: 'not-applicable', evidence: 'e' } } });
    report.file(f);
    // The file is out before the scan ends, as the JSON line the viewer reads.
    expect(parts.join('').slice(head.length)).toBe(`\n${JSON.stringify(rowObject(f, CHECK_INFO.map((c) => c.id)))}`);
    report.file(f);
    expect(parts.join('').endsWith(`,\n${JSON.stringify(rowObject(f, CHECK_INFO.map((c) => c.id)))}`)).toBe(true);
  });
});
