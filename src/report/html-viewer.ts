/**
 * The interactive file table of the HTML report and of the browser page: a row per file, a cell
 * per hardening check, click a row for the evidence, remedy and waiver of every check; text,
 * verdict and failing-check filters; sortable columns; pagination.
 *
 * Why one self-contained function: the report is a single file written by the CLI, so it
 * embeds this function's source (`mountViewer.toString()`) and calls it on the data it
 * streamed; the page imports and calls it directly. Everything it uses is therefore declared
 * inside it (types excepted, which compile away): no imports, no module-level values.
 *
 * Why pagination: a scan of /usr has tens of thousands of rows; only one page of them is in
 * the DOM at a time, so filtering and sorting stay interactive whatever the scan's size.
 */

/** A check as the JSON contract (docs/scan.md) writes it. */
export interface ViewerCheck {
  readonly status: string;
  readonly value?: string;
  readonly evidence: string;
  readonly remedy?: string;
  readonly required?: boolean;
  readonly waiver?: string;
}

/** A file as the JSON contract writes it (`#/$defs/file`). */
export interface ViewerFile {
  readonly path: string;
  readonly kind: string;
  readonly machine?: string;
  readonly verdict: string;
  readonly failed: readonly string[];
  readonly unknown: readonly string[];
  readonly error?: string;
  readonly note?: string;
  readonly target?: string;
  /** By check id; a judged file (src/policy) fits as it is, hence `undefined` allowed. */
  readonly checks: Readonly<Partial<Record<string, ViewerCheck>>>;
}

export interface ViewerCheckInfo {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  /** Short column heading (`SSP` for stack-protector). */
  readonly heading: string;
}

export interface ViewerMeta {
  readonly checks: readonly ViewerCheckInfo[];
  readonly required: readonly string[];
}

export interface Viewer {
  /** Shows these files (in scan order); filters, sort and the page are kept. */
  setFiles(files: readonly ViewerFile[]): void;
}

export function mountViewer(root: HTMLElement, meta: ViewerMeta): Viewer {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const num = (v: number): string => v.toLocaleString('en-US');
  const GLYPH: Readonly<Record<string, string>> = { pass: '\u2713', fail: '\u2717', unknown: '?', 'not-applicable': '-', waived: '~' };
  const VERDICT_WORD: Readonly<Record<string, string>> = { pass: 'ok', fail: 'FAIL', error: 'ERROR', skipped: 'skip' };
  const VERDICT_ORDER: Readonly<Record<string, number>> = { fail: 0, error: 1, pass: 2, skipped: 3 };
  const required = new Set(meta.required);
  const columns = meta.checks.filter((c) => c.category === 'hardening');
  const titles = new Map(meta.checks.map((c) => [c.id, c.title]));

  /** A waived check that did not pass shows as waived: the policy excused it. */
  const shownStatus = (c: ViewerCheck | undefined): string => {
    if (c === undefined) return '';
    if (c.waiver !== undefined && c.status !== 'pass' && c.status !== 'not-applicable') return 'waived';
    return c.status;
  };
  const STATUS_ORDER: Readonly<Record<string, number>> = { fail: 0, unknown: 1, waived: 2, pass: 3, 'not-applicable': 4, '': 5 };

  let files: readonly ViewerFile[] = [];
  let view: number[] = [];
  let page = 0;
  let pageSize = 100;
  let sortKey = '';
  let sortDir = 1;
  const open = new Set<number>();

  const options = (pairs: readonly (readonly [string, string])[]): string => pairs.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join('');
  root.innerHTML =
    `<div class="toolbar">` +
    `<input type="search" class="v-filter" placeholder="Filter by path, kind, machine, error\u2026" aria-label="Filter files">` +
    `<select class="v-verdict" aria-label="Verdict">${options([
      ['', 'All verdicts'],
      ['problems', 'Failed or not analysed'],
      ['fail', 'Failed'],
      ['error', 'Not analysed'],
      ['pass', 'Passed'],
      ['skipped', 'Skipped'],
    ])}</select>` +
    `<select class="v-check" aria-label="Failing check">${options([['', 'Any check'], ...columns.map((c): [string, string] => [c.id, `${c.id} fails`])])}</select>` +
    `<select class="v-size" aria-label="Rows per page">${options([
      ['50', '50 per page'],
      ['100', '100 per page'],
      ['250', '250 per page'],
      ['1000', '1000 per page'],
    ])}</select>` +
    `<span class="v-count" aria-live="polite"></span></div>` +
    `<div class="table-wrap"><table class="v-table"><thead><tr>` +
    `<th data-sort="verdict"><span class="arrow">Verdict</span></th>` +
    columns.map((c) => `<th class="check${required.has(c.id) ? ' req' : ''}" data-sort="check:${esc(c.id)}" title="${esc(`${c.title}${required.has(c.id) ? ' (required)' : ''}`)}"><span class="arrow">${esc(c.heading)}</span></th>`).join('') +
    `<th data-sort="path"><span class="arrow">File</span></th><th data-sort="kind"><span class="arrow">Kind</span></th><th data-sort="machine"><span class="arrow">Machine</span></th><th>Failed / why</th>` +
    `</tr></thead><tbody></tbody></table></div>` +
    `<div class="pager"><button type="button" class="v-prev">\u2039 Previous</button><span class="v-page"></span><button type="button" class="v-next">Next \u203a</button></div>`;

  const q = <T extends Element>(sel: string): T => {
    const el = root.querySelector<T>(sel);
    if (el === null) throw new Error(`viewer: ${sel} missing`);
    return el;
  };
  const filterInput = q<HTMLInputElement>('.v-filter');
  const verdictSelect = q<HTMLSelectElement>('.v-verdict');
  const checkSelect = q<HTMLSelectElement>('.v-check');
  const sizeSelect = q<HTMLSelectElement>('.v-size');
  const countEl = q<HTMLElement>('.v-count');
  const tbody = q<HTMLTableSectionElement>('tbody');
  const pageEl = q<HTMLElement>('.v-page');
  const prev = q<HTMLButtonElement>('.v-prev');
  const next = q<HTMLButtonElement>('.v-next');
  sizeSelect.value = String(pageSize);
  const span = columns.length + 5;

  const matches = (f: ViewerFile): boolean => {
    const v = verdictSelect.value;
    if (v === 'problems' ? f.verdict !== 'fail' && f.verdict !== 'error' : v !== '' && f.verdict !== v) return false;
    const c = checkSelect.value;
    if (c !== '' && shownStatus(f.checks[c]) !== 'fail') return false;
    const text = filterInput.value.trim().toLowerCase();
    if (text === '') return true;
    return [f.path, f.kind, f.machine ?? '', f.error ?? '', f.note ?? '', f.failed.join(' ')].some((s) => s.toLowerCase().includes(text));
  };

  const compare = (a: number, b: number): number => {
    const fa = files[a] as ViewerFile;
    const fb = files[b] as ViewerFile;
    let d = 0;
    if (sortKey === 'verdict') d = (VERDICT_ORDER[fa.verdict] ?? 9) - (VERDICT_ORDER[fb.verdict] ?? 9);
    else if (sortKey.startsWith('check:')) {
      const id = sortKey.slice(6);
      d = (STATUS_ORDER[shownStatus(fa.checks[id])] ?? 9) - (STATUS_ORDER[shownStatus(fb.checks[id])] ?? 9);
    } else if (sortKey === 'path' || sortKey === 'kind' || sortKey === 'machine') {
      const x = fa[sortKey] ?? '';
      const y = fb[sortKey] ?? '';
      d = x < y ? -1 : x > y ? 1 : 0;
    }
    // Ties keep scan order, whichever way the column sorts.
    return d !== 0 ? d * sortDir : a - b;
  };

  const cell = (f: ViewerFile, id: string): string => {
    if (Object.keys(f.checks).length === 0) return `<td class="cell"></td>`;
    const c = f.checks[id];
    const st = shownStatus(c);
    if (c === undefined) return `<td class="cell" data-check="${esc(id)}" data-status=""></td>`;
    const cls = `cell s-${c.status}${c.required === true ? ' req' : ''}${st === 'waived' ? ' waived' : ''}`;
    const tip = `${id}: ${c.status}${c.waiver !== undefined ? ` (waived: ${c.waiver})` : ''} \u2014 ${c.evidence}`;
    return `<td class="${cls}" data-check="${esc(id)}" data-status="${esc(c.status)}"${c.waiver !== undefined ? ' data-waived="true"' : ''} title="${esc(tip)}">${GLYPH[st] ?? ''}</td>`;
  };

  const why = (f: ViewerFile): string => {
    if (f.error !== undefined) return esc(f.error);
    if (f.failed.length > 0) return esc(f.failed.join(', '));
    if (Object.keys(f.checks).length === 0 && f.note !== undefined) return esc(f.note);
    return '';
  };

  const row = (i: number): string => {
    const f = files[i] as ViewerFile;
    const target = f.target !== undefined ? ` \u2192 ${esc(f.target)}` : '';
    return (
      `<tr class="file${open.has(i) ? ' open' : ''}" tabindex="0" aria-expanded="${open.has(i)}" data-index="${i}" data-path="${esc(f.path)}" data-verdict="${esc(f.verdict)}">` +
      `<td><span class="verdict v-${esc(f.verdict)}">${VERDICT_WORD[f.verdict] ?? esc(f.verdict)}</span></td>` +
      columns.map((c) => cell(f, c.id)).join('') +
      `<td class="path">${esc(f.path)}${target}</td><td class="kind">${esc(f.kind)}</td><td class="machine">${esc(f.machine ?? '')}</td><td class="why">${why(f)}</td></tr>` +
      (open.has(i) ? detail(i) : '')
    );
  };

  /** Every check of the file: hardening ones with evidence, fix and waiver; information ones with their value. */
  const detail = (i: number): string => {
    const f = files[i] as ViewerFile;
    const items: string[] = [];
    const ids = Object.keys(f.checks);
    const info = new Set(meta.checks.filter((c) => c.category === 'information').map((c) => c.id));
    for (const id of [...ids.filter((x) => !info.has(x)), ...ids.filter((x) => info.has(x))]) {
      const c = f.checks[id];
      if (c === undefined) continue;
      const st = shownStatus(c);
      const isInfo = info.has(id);
      const value = c.value !== undefined && !c.evidence.startsWith(`${c.value}:`) ? `${esc(c.value)}: ` : '';
      let li =
        `<li data-check="${esc(id)}" data-status="${esc(c.status)}"><span class="glyph cell s-${esc(c.status)}${c.required === true ? ' req' : ''}">${isInfo ? 'i' : (GLYPH[st] ?? '')}</span>` +
        `<span class="cid">${esc(id)}${c.required === true ? '*' : ''}</span> <span class="${isInfo ? 'info' : 'title'}">${esc(titles.get(id) ?? id)}:</span> ` +
        `<span class="evidence">${value}${esc(c.evidence)}</span>`;
      if (c.waiver !== undefined) li += `<div class="waiver"><b>waived:</b> ${esc(c.waiver)}</div>`;
      if (c.remedy !== undefined && (c.status === 'fail' || c.status === 'unknown') && c.waiver === undefined) li += `<div class="fix"><b>fix:</b> <span class="remedy">${esc(c.remedy)}</span></div>`;
      items.push(`${li}</li>`);
    }
    const facts = [f.kind, f.machine].filter((s): s is string => s !== undefined).join(', ');
    return (
      `<tr class="detail" data-detail="${i}"><td colspan="${span}">` +
      `<p class="meta">${esc(f.path)} (${esc(facts)})${f.target !== undefined ? ` \u2192 ${esc(f.target)}` : ''}</p>` +
      (f.error !== undefined ? `<p class="error">error: ${esc(f.error)}</p>` : '') +
      (f.note !== undefined ? `<p class="meta">${esc(f.note)}</p>` : '') +
      (items.length > 0 ? `<ul>${items.join('')}</ul>` : '') +
      `</td></tr>`
    );
  };

  const render = (): void => {
    const pages = Math.max(1, Math.ceil(view.length / pageSize));
    page = Math.min(page, pages - 1);
    const start = page * pageSize;
    const shown = view.slice(start, start + pageSize);
    tbody.innerHTML = shown.length > 0 ? shown.map(row).join('') : `<tr><td class="empty" colspan="${span}">${files.length === 0 ? 'No files yet.' : 'No file matches the filters.'}</td></tr>`;
    const filtered = view.length !== files.length ? ` (filtered from ${num(files.length)})` : '';
    countEl.textContent = view.length === 0 ? `0 files${filtered}` : `Showing ${num(start + 1)}\u2013${num(start + shown.length)} of ${num(view.length)} files${filtered}`;
    pageEl.textContent = `page ${num(page + 1)} of ${num(pages)}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    root.dataset['total'] = String(files.length);
    root.dataset['matching'] = String(view.length);
    root.dataset['shown'] = String(shown.length);
    for (const th of Array.from(root.querySelectorAll<HTMLElement>('th[data-sort]'))) {
      if (th.dataset['sort'] === sortKey) th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
  };

  const refresh = (): void => {
    view = [];
    for (let i = 0; i < files.length; i++) if (matches(files[i] as ViewerFile)) view.push(i);
    if (sortKey !== '') view.sort(compare);
    render();
  };

  const refilter = (): void => {
    page = 0;
    refresh();
  };
  filterInput.addEventListener('input', refilter);
  verdictSelect.addEventListener('change', refilter);
  checkSelect.addEventListener('change', refilter);
  sizeSelect.addEventListener('change', () => {
    pageSize = Number(sizeSelect.value);
    refilter();
  });
  prev.addEventListener('click', () => {
    page--;
    render();
  });
  next.addEventListener('click', () => {
    page++;
    render();
  });
  q<HTMLElement>('thead').addEventListener('click', (e) => {
    const th = e.target instanceof Element ? e.target.closest<HTMLElement>('th[data-sort]') : null;
    const key = th?.dataset['sort'];
    if (key === undefined) return;
    // First click sorts the worst first (verdict, checks) or A to Z (text); a second reverses.
    sortDir = key === sortKey ? -sortDir : 1;
    sortKey = key;
    refresh();
  });
  const toggle = (tr: HTMLElement): void => {
    const i = Number(tr.dataset['index']);
    if (open.has(i)) open.delete(i);
    else open.add(i);
    render();
  };
  tbody.addEventListener('click', (e) => {
    const tr = e.target instanceof Element ? e.target.closest<HTMLElement>('tr.file') : null;
    // Selecting text in the evidence should not close it.
    if (tr !== null && (window.getSelection()?.toString() ?? '') === '') toggle(tr);
  });
  tbody.addEventListener('keydown', (e) => {
    const tr = e.target instanceof HTMLElement && e.target.matches('tr.file') ? e.target : null;
    if (tr !== null && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      toggle(tr);
    }
  });

  refresh();
  return {
    setFiles(next: readonly ViewerFile[]): void {
      // A new set of files (not more of the same) closes what was open.
      if (next.length < files.length || (next.length > 0 && files.length > 0 && next[0] !== files[0])) open.clear();
      files = next;
      refresh();
    },
  };
}
