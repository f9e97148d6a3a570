/**
 * The stylesheet of the HTML report, also injected by the browser page, so that a report and
 * the page look the same. A string, not a file: the report must be one self-contained file,
 * and the CLI must not depend on the page's build output. System fonts only (no font files).
 */
export const HTML_STYLE = `
:root {
  --bg: #f7f7f8; --panel: #fff; --text: #1d1f23; --muted: #5d6470; --line: #dcdfe4;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --unknown: #bf8700; --na: #8c959f;
  --waived: #0969da; --accent: #0969da; --row-hover: #f0f4fa; --detail: #fafbfc;
  color-scheme: light;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header.top { padding: 16px 24px 8px; }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
header.top p { margin: 0; color: var(--muted); }
main.report { display: flex; flex-direction: column; gap: 16px; padding: 8px 24px 24px; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
section.panel > h2 { margin: 0 0 12px; font-size: 16px; }
/* The report writes its summary after the files (it is known only then); this puts it first. */
main.report > .summary { order: 1; }
main.report > .files { order: 2; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 12px; }
.count { min-width: 96px; padding: 8px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
.count b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
.count span { color: var(--muted); font-size: 12px; }
.count.c-fail b { color: var(--fail); } .count.c-pass b { color: var(--pass); }
.count.c-error b { color: #8250df; } .count.c-unknownRequired b { color: var(--warn); }
svg.chart { max-width: 100%; height: auto; display: block; }
.chart-label, .chart-counts { font-size: 12px; fill: var(--text); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.chart-counts { fill: var(--muted); font-family: inherit; }
.seg.s-pass, .swatch.s-pass { fill: var(--pass); background: var(--pass); }
.seg.s-fail, .swatch.s-fail { fill: var(--fail); background: var(--fail); }
.seg.s-unknown, .swatch.s-unknown { fill: var(--unknown); background: var(--unknown); }
.seg.s-not-applicable, .swatch.s-not-applicable { fill: #d0d7de; background: #d0d7de; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; color: var(--muted); font-size: 12px; margin-top: 6px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.policy { color: var(--muted); font-size: 13px; margin: 0 0 8px; }
.policy code { color: var(--text); }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin-bottom: 10px; }
.toolbar input[type=search] { flex: 1 1 220px; max-width: 360px; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.toolbar select, .toolbar button, .pager button { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--text); }
.toolbar button:hover:not(:disabled), .pager button:hover:not(:disabled) { border-color: var(--accent); }
.v-count { color: var(--muted); margin-left: auto; font-variant-numeric: tabular-nums; }
.pager { display: flex; gap: 6px; align-items: center; margin-top: 10px; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table.v-table { border-collapse: collapse; width: 100%; font-size: 13px; }
.v-table th, .v-table td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; white-space: nowrap; }
.v-table th { position: sticky; top: 0; background: var(--panel); cursor: pointer; user-select: none; font-weight: 600; }
.v-table th.check, .v-table td.cell { text-align: center; width: 1%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.v-table th.req::after { content: "*"; color: var(--fail); }
.v-table th[aria-sort=ascending] .arrow::after { content: " \\25B2"; font-size: 9px; }
.v-table th[aria-sort=descending] .arrow::after { content: " \\25BC"; font-size: 9px; }
.v-table tbody tr.file { cursor: pointer; }
.v-table tbody tr.file:hover { background: var(--row-hover); }
.v-table tbody tr.file.open { background: var(--row-hover); }
.v-table td.path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: normal; word-break: break-all; min-width: 240px; }
.v-table td.why { color: var(--muted); white-space: normal; }
.cell.s-pass { color: var(--pass); } .cell.s-fail { color: var(--warn); } .cell.s-fail.req { color: var(--fail); font-weight: 700; }
.cell.s-unknown { color: var(--unknown); } .cell.s-not-applicable { color: var(--na); } .cell.waived { color: var(--waived); }
.verdict { display: inline-block; min-width: 52px; text-align: center; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; }
.verdict.v-pass { background: #dafbe1; color: var(--pass); } .verdict.v-fail { background: #ffebe9; color: var(--fail); }
.verdict.v-error { background: #fbefff; color: #8250df; } .verdict.v-skipped { background: #eaeef2; color: var(--muted); }
tr.detail > td { background: var(--detail); white-space: normal; padding: 8px 12px 12px 24px; }
.detail .meta { color: var(--muted); margin: 0 0 6px; }
.detail .error { color: #8250df; margin: 0 0 6px; }
.detail ul { list-style: none; margin: 0; padding: 0; }
.detail li { padding: 4px 0; border-top: 1px dashed var(--line); }
.detail li:first-child { border-top: none; }
.detail .glyph { display: inline-block; width: 1.4em; font-family: ui-monospace, monospace; }
.detail .cid { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 600; }
.detail .evidence { color: var(--text); }
.detail .fix, .detail .waiver { margin-left: 1.4em; }
.detail .fix b { color: var(--fail); } .detail .waiver b { color: var(--waived); }
.detail .info { color: var(--muted); }
.empty { color: var(--muted); padding: 12px 0; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --panel: #161b22; --text: #e6edf3; --muted: #8d96a0; --line: #30363d;
    --row-hover: #1c2533; --detail: #10161e; color-scheme: dark; }
  .verdict.v-pass { background: #12351f; } .verdict.v-fail { background: #3d1416; }
  .verdict.v-error { background: #2e1f48; } .verdict.v-skipped { background: #262c36; }
}
`;
