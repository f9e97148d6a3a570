/**
 * The summary of a scan as HTML: the counts and a chart of each hardening check's statuses (an
 * inline SVG, so the report needs no script or font to show it). Pure string building, shared
 * by `--format html` and the browser page, so both show the same numbers the same way.
 */
import { type CheckId, type Status } from '../checks/types.js';
import { type ScanSummary } from '../policy/summary.js';
import { type CheckInfo } from './report-types.js';

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function n(v: number): string {
  return v.toLocaleString('en-US');
}

/** The words the other formats use (table summary line), so a reader sees one vocabulary. */
const COUNTS: readonly { key: keyof ScanSummary['verdicts']; label: string }[] = [
  { key: 'pass', label: 'ok' },
  { key: 'fail', label: 'failed' },
  { key: 'error', label: 'not analysed' },
  { key: 'skipped', label: 'skipped' },
];

/**
 * The counts: files, each verdict, required checks left unknown, the exit status a CLI run gives.
 * Each number carries `data-count` so tests (and scripts) read it without parsing words.
 */
export function summaryCountsHtml(s: ScanSummary): string {
  const box = (key: string, value: number, label: string): string =>
    `<div class="count c-${key}" data-count="${key}"><b>${n(value)}</b><span>${escapeHtml(label)}</span></div>`;
  const boxes = [box('files', s.files, s.files === 1 ? 'file' : 'files'), ...COUNTS.map((c) => box(c.key, s.verdicts[c.key], c.label))];
  if (s.unknownRequired > 0) boxes.push(box('unknownRequired', s.unknownRequired, 'required checks unknown'));
  boxes.push(box('exitStatus', s.exitStatus, 'exit status'));
  return `<div class="counts">${boxes.join('')}</div>`;
}

const BAR_STATUSES: readonly Status[] = ['pass', 'fail', 'unknown', 'not-applicable'];

const GEOMETRY = { label: 150, bar: 420, counts: 230, row: 24, barHeight: 14, top: 8 } as const;

/**
 * One horizontal bar per hardening check the scan produced: its files split by status (pass,
 * fail, unknown, not applicable), the widths proportional within the check, the numbers beside
 * it. Required checks are starred. Every segment has a tooltip and `data-` attributes.
 */
export function checkChartSvg(s: ScanSummary, checks: readonly CheckInfo[], required: readonly CheckId[]): string {
  const req = new Set(required);
  const rows = checks.filter((c) => c.category === 'hardening' && s.checks[c.id] !== undefined);
  if (rows.length === 0) return '<p class="chart-empty">No hardening check ran (no ELF file was analysed).</p>';
  const g = GEOMETRY;
  const width = g.label + g.bar + g.counts;
  const height = g.top * 2 + rows.length * g.row;
  const parts: string[] = [];
  rows.forEach((c, i) => {
    const counts = s.checks[c.id];
    if (counts === undefined) return;
    const y = g.top + i * g.row;
    const total = BAR_STATUSES.reduce((sum, st) => sum + counts[st], 0);
    const name = `${c.id}${req.has(c.id) ? '*' : ''}`;
    parts.push(`<g class="chart-row" data-check="${escapeHtml(c.id)}"><title>${escapeHtml(`${c.title}${req.has(c.id) ? ' (required)' : ''}`)}</title>`);
    parts.push(`<text class="chart-label" x="${g.label - 8}" y="${y + g.barHeight - 2}" text-anchor="end">${escapeHtml(name)}</text>`);
    let x = g.label;
    for (const st of BAR_STATUSES) {
      const count = counts[st];
      if (count === 0 || total === 0) continue;
      const w = (count / total) * g.bar;
      parts.push(
        `<rect class="seg s-${st}" data-status="${st}" data-count="${count}" x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${g.barHeight}"><title>${escapeHtml(`${c.id}: ${n(count)} ${st}`)}</title></rect>`,
      );
      x += w;
    }
    const text = BAR_STATUSES.filter((st) => counts[st] > 0).map((st) => `${n(counts[st])} ${st === 'not-applicable' ? 'n/a' : st}`);
    if (counts.waived > 0) text.push(`${n(counts.waived)} waived`);
    parts.push(`<text class="chart-counts" x="${g.label + g.bar + 8}" y="${y + g.barHeight - 2}">${escapeHtml(text.join(', '))}</text></g>`);
  });
  const legend = BAR_STATUSES.map((st) => `<span class="legend-item"><i class="swatch s-${st}"></i>${st === 'not-applicable' ? 'not applicable' : st}</span>`).join('');
  return (
    `<svg class="chart" role="img" aria-label="Pass and fail per hardening check" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `${parts.join('')}</svg><div class="legend">${legend}<span class="legend-item">* required</span></div>`
  );
}

/** Counts, then the chart, in one section body. */
export function summaryHtml(s: ScanSummary, checks: readonly CheckInfo[], required: readonly CheckId[]): string {
  return `${summaryCountsHtml(s)}${checkChartSvg(s, checks, required)}`;
}
