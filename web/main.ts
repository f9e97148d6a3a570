/**
 * The page: wires the drop zone and buttons to the scan workers, the session (rows, policy) and
 * the views (summary, file table), all computed here in the browser by the library code that
 * `harden scan` runs. Nothing is sent anywhere: the page works from a folder opened as file://.
 */
import { ConfigError, type HardenConfig, parseConfig } from '../src/policy/config.js';
import { Policy } from '../src/policy/policy.js';
import { isProfileName, PROFILES } from '../src/policy/profiles.js';
import { policyLine, viewerMeta } from '../src/report/html.js';
import { summaryHtml } from '../src/report/html-summary.js';
import { mountViewer, type Viewer } from '../src/report/html-viewer.js';
import { type DroppedFile, fromDataTransfer, fromFileList, fromFolderList } from './dropped.js';
import { ScanPool } from './scan-pool.js';
import ScanWorker from './scan-worker.ts?worker&inline';
import { CHECK_INFO, type Download, renderDownload, reportContext, Session, summarize } from './session.js';

declare const __HARDEN_VERSION__: string;

function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`page: #${id} is missing or not a ${type.name}`);
  return el;
}

const ui = {
  drop: byId('drop', HTMLElement),
  files: byId('files', HTMLInputElement),
  folder: byId('folder', HTMLInputElement),
  chooseFiles: byId('choose-files', HTMLButtonElement),
  chooseFolder: byId('choose-folder', HTMLButtonElement),
  profile: byId('profile', HTMLSelectElement),
  configInput: byId('config', HTMLInputElement),
  chooseConfig: byId('choose-config', HTMLButtonElement),
  dropConfig: byId('drop-config', HTMLButtonElement),
  configName: byId('config-name', HTMLElement),
  clear: byId('clear', HTMLButtonElement),
  downloadJson: byId('download-json', HTMLButtonElement),
  downloadSarif: byId('download-sarif', HTMLButtonElement),
  status: byId('status', HTMLElement),
  summary: byId('summary', HTMLElement),
  summaryBody: byId('summary-body', HTMLElement),
  policy: byId('policy', HTMLElement),
  viewer: byId('viewer', HTMLElement),
};

const session = new Session();
const workers = (): ScanPool => new ScanPool(Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4)), () => new ScanWorker({ name: 'harden-scan' }));
let pool = workers();
let config: { readonly parsed: HardenConfig; readonly name: string } | undefined;
let policy = makePolicy();
let viewer: Viewer = mountViewer(ui.viewer, viewerMeta(CHECK_INFO, policy.required));
/** Files given and not yet scanned. */
let inFlight = 0;
/** Bumped by "Clear": results of files given before it are dropped when they arrive. */
let generation = 0;

function makePolicy(): Policy {
  const profile = isProfileName(ui.profile.value) ? ui.profile.value : undefined;
  return new Policy({
    ...(profile === undefined ? {} : { profile }),
    ...(config === undefined ? {} : { config: config.parsed, configPath: config.name }),
  });
}

function repolicy(): void {
  policy = makePolicy();
  // The required checks are starred in the table's head: a new policy needs a new head.
  viewer = mountViewer(ui.viewer, viewerMeta(CHECK_INFO, policy.required));
  render();
}

let renderTimer: number | undefined;
let lastRender = 0;
/** While files come in, the views are redrawn a few times a second, not once per file (a folder may hold thousands). */
function schedule(): void {
  if (renderTimer !== undefined) return;
  const wait = inFlight === 0 ? 0 : Math.max(0, 250 - (performance.now() - lastRender));
  renderTimer = window.setTimeout(() => {
    renderTimer = undefined;
    lastRender = performance.now();
    render();
  }, wait);
}

function render(): void {
  const files = session.judged(policy);
  viewer.setFiles(files);
  ui.policy.innerHTML = policyLine(reportContext(policy, __HARDEN_VERSION__));
  ui.summary.hidden = files.length === 0;
  ui.summaryBody.innerHTML = files.length === 0 ? '' : summaryHtml(summarize(files), CHECK_INFO, policy.required);
  ui.downloadJson.disabled = ui.downloadSarif.disabled = inFlight > 0 || session.total === 0;
  const given = `${session.total} ${session.total === 1 ? 'file' : 'files'}`;
  ui.status.textContent =
    session.total === 0 ? 'No files yet.' : inFlight > 0 ? `Scanning: ${session.done} of ${given} read\u2026` : `${given} read: ${files.length} ${files.length === 1 ? 'row' : 'rows'}.`;
  // For scripts and tests: what the page is doing, and how many rows it shows.
  document.body.dataset['state'] = session.total === 0 ? 'idle' : inFlight > 0 ? 'scanning' : 'done';
  document.body.dataset['rows'] = String(files.length);
}

function scanAll(dropped: readonly DroppedFile[]): void {
  if (dropped.length === 0) return;
  const gen = generation;
  inFlight += dropped.length;
  for (const d of dropped) {
    const index = session.reserve();
    void pool.scan(d).then((rows) => {
      if (gen !== generation) return;
      session.fill(index, rows);
      inFlight--;
      schedule();
    });
  }
  render();
}

function download(format: Download): void {
  const text = renderDownload(format, reportContext(policy, __HARDEN_VERSION__), session.judged(policy));
  const url = URL.createObjectURL(new Blob([text], { type: format === 'json' ? 'application/json' : 'application/sarif+json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = format === 'json' ? 'harden-scan.json' : 'harden-scan.sarif';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by now; the object URL only has to outlive this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

async function loadConfig(file: File): Promise<void> {
  try {
    const parsed = parseConfig(await file.text(), file.name);
    config = { parsed, name: file.name };
    if (parsed.profile !== undefined) ui.profile.value = parsed.profile;
    ui.configName.textContent = file.name;
    ui.configName.classList.remove('error');
    ui.dropConfig.hidden = false;
  } catch (e) {
    config = undefined;
    ui.configName.textContent = e instanceof ConfigError ? e.message : String(e);
    ui.configName.classList.add('error');
    ui.dropConfig.hidden = true;
  }
  repolicy();
}

for (const p of Object.values(PROFILES)) ui.profile.add(new Option(`${p.name} \u2014 ${p.summary}`, p.name));
ui.profile.value = policy.profile;
ui.profile.addEventListener('change', repolicy);

ui.chooseFiles.addEventListener('click', () => ui.files.click());
ui.chooseFolder.addEventListener('click', () => ui.folder.click());
ui.files.addEventListener('change', () => {
  if (ui.files.files !== null) scanAll(fromFileList(ui.files.files));
  ui.files.value = '';
});
ui.folder.addEventListener('change', () => {
  if (ui.folder.files !== null) scanAll(fromFolderList(ui.folder.files));
  ui.folder.value = '';
});
ui.chooseConfig.addEventListener('click', () => ui.configInput.click());
ui.configInput.addEventListener('change', () => {
  const f = ui.configInput.files?.[0];
  if (f !== undefined) void loadConfig(f);
  ui.configInput.value = '';
});
ui.dropConfig.addEventListener('click', () => {
  config = undefined;
  ui.configName.textContent = '';
  ui.dropConfig.hidden = true;
  repolicy();
});
ui.clear.addEventListener('click', () => {
  generation++;
  pool.terminate();
  pool = workers();
  inFlight = 0;
  session.clear();
  render();
});
ui.downloadJson.addEventListener('click', () => download('json'));
ui.downloadSarif.addEventListener('click', () => download('sarif'));

// The whole window takes drops: a file dropped beside the zone must not be opened by the browser instead.
let dragDepth = 0;
document.addEventListener('dragenter', (e) => {
  e.preventDefault();
  dragDepth++;
  ui.drop.classList.add('dragging');
});
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) ui.drop.classList.remove('dragging');
});
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  if (e.dataTransfer !== null) e.dataTransfer.dropEffect = 'copy';
});
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  ui.drop.classList.remove('dragging');
  if (e.dataTransfer !== null) void fromDataTransfer(e.dataTransfer).then(scanAll);
});

render();
