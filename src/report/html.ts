/**
 * `--format html`: one self-contained HTML file (inline style and script, no fonts, nothing
 * fetched): the summary counts, a chart of each check's statuses, and the file table with
 * evidence and remedies, sortable, filterable and paginated (src/report/html-viewer.ts).
 *
 * Streamed, like `json`: the head (style, check descriptions, policy) is written at once, each
 * judged file is written as one line of a JSON array inside a `<script type="application/json">`
 * as it comes, and the summary, which is known only at the end, follows the data; CSS puts it
 * above the table. The writer keeps no file, so a /usr-sized scan costs no memory here.
 */
import { type CheckId } from '../checks/types.js';
import { type JudgedFile } from '../policy/policy.js';
import { type ScanSummary } from '../policy/summary.js';
import { HTML_STYLE } from './html-style.js';
import { escapeHtml, summaryHtml } from './html-summary.js';
import { mountViewer, type ViewerMeta } from './html-viewer.js';
import { summaryObject } from './json.js';
import { fileRowJson } from './json-row.js';
import { type CheckInfo, type ReportContext, type ReportWriter, type Sink } from './report-types.js';
import { HEADINGS } from './table.js';

/** What the viewer needs to know about the checks: titles, categories, column headings. */
export function viewerMeta(checks: readonly CheckInfo[], required: readonly CheckId[]): ViewerMeta {
  return {
    checks: checks.map((c) => ({ id: c.id, title: c.title, category: c.category, heading: HEADINGS[c.id] ?? c.id.toUpperCase() })),
    required: [...required],
  };
}

/**
 * JSON that can sit inside a `<script>` element: `<` is escaped (JSON.parse reads `\u003c` back
 * as `<`), so a path or evidence string holding `</script>` or `<!--` cannot end the element.
 */
export function scriptJson(value: unknown): string {
  return scriptSafe(JSON.stringify(value));
}

/** JSON text made safe inside a <script> element: no `<` can start `</script>` there. */
function scriptSafe(json: string): string {
  return json.replace(/</g, '\\u003c');
}

const VIEWER_SOURCE = mountViewer.toString();
// The source is inlined into a <script>; it must not be able to close it.
if (VIEWER_SOURCE.includes('</script')) throw new Error('html report: the viewer source contains </script');

/** The policy in one line: profile, required checks, unknownIs, config. */
export function policyLine(ctx: ReportContext): string {
  const p = ctx.policy;
  const req = p.required.length === 0 ? 'nothing' : p.required.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ');
  const config = p.config === undefined ? 'no config file' : `config <code>${escapeHtml(p.config)}</code>`;
  return `Profile <code>${escapeHtml(p.profile)}</code>; required: ${req}; unknown counts as <code>${p.unknownIs}</code>; ${config}.`;
}

export class HtmlReport implements ReportWriter {
  private count = 0;
  private readonly order: readonly CheckId[];

  constructor(
    private readonly ctx: ReportContext,
    private readonly sink: Sink,
  ) {
    this.order = ctx.checks.map((c) => c.id);
    const command = ctx.commandLine === undefined ? '' : `<p class="policy">Command: <code>${escapeHtml(ctx.commandLine.join(' '))}</code></p>`;
    sink.write(
      `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
        `<title>${escapeHtml(ctx.tool.name)} scan report</title>\n<style>${HTML_STYLE}</style>\n</head>\n<body>\n` +
        `<header class="top"><h1>Hardening report</h1><p>${escapeHtml(`${ctx.tool.name} ${ctx.tool.version}`)} \u2014 computed offline; this file fetches nothing.</p></header>\n` +
        `<main class="report">\n<section class="panel files"><h2>Files</h2><p class="policy">${policyLine(ctx)}</p>${command}` +
        `<div id="viewer"><noscript>The file table needs JavaScript; the summary above is complete without it.</noscript></div></section>\n` +
        `<script type="application/json" id="harden-meta">${scriptJson(viewerMeta(ctx.checks, ctx.policy.required))}</script>\n` +
        `<script type="application/json" id="harden-files">[`,
    );
  }

  file(f: JudgedFile): void {
    this.sink.write(`${this.count++ === 0 ? '\n' : ',\n'}${scriptSafe(fileRowJson(f, f, this.order))}`);
  }

  end(s: ScanSummary): void {
    const { files, verdicts } = s;
    this.sink.write(
      `\n]</script>\n<script type="application/json" id="harden-summary">${scriptJson(summaryObject(s))}</script>\n` +
        `<section class="panel summary"><h2>Summary</h2>${summaryHtml(s, this.ctx.checks, this.ctx.policy.required)}</section>\n</main>\n` +
        `<script>\n"use strict";\n${VIEWER_SOURCE}\n` +
        `(function () {\n` +
        `  var read = function (id) { var el = document.getElementById(id); return JSON.parse(el === null ? "null" : el.textContent || "null"); };\n` +
        `  mountViewer(document.getElementById("viewer"), read("harden-meta")).setFiles(read("harden-files"));\n` +
        `  document.title = ${scriptJson(`${this.ctx.tool.name} scan: ${files} file${files === 1 ? '' : 's'}, ${verdicts.fail} failed, ${verdicts.error} not analysed`)};\n` +
        `})();\n</script>\n</body>\n</html>\n`,
    );
  }
}
