/**
 * What the user gave the page, as the files to scan and the names to show: files dropped or
 * chosen by name are "explicit" (a non-ELF one is reported, as a file named on the command
 * line); files inside a dropped or chosen folder are walked as `harden scan DIR` walks (by
 * name, sorted, per directory; shown as `DIR/sub/name`; non-ELF files skipped silently).
 */
export interface DroppedFile {
  readonly file: File;
  readonly path: string;
  readonly explicit: boolean;
}

/** Byte-order of names, as the CLI's walk sorts them (not locale order: the output is stable). */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Files chosen by name, in the order given. */
export function fromFileList(list: FileList | readonly File[]): DroppedFile[] {
  return Array.from(list, (file) => ({ file, path: file.name, explicit: true }));
}

/**
 * Files of a folder chosen with `webkitdirectory` (each has `webkitRelativePath`), in walk
 * order: compared segment by segment, which is the order of a sorted depth-first walk.
 */
export function fromFolderList(list: FileList): DroppedFile[] {
  const files = Array.from(list, (file) => ({ file, path: file.webkitRelativePath || file.name, explicit: false }));
  const segments = new Map(files.map((f) => [f, f.path.split('/')]));
  return files.sort((a, b) => {
    const x = segments.get(a) ?? [];
    const y = segments.get(b) ?? [];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = byName(x[i] ?? '', y[i] ?? '');
      if (d !== 0) return d;
    }
    return x.length - y.length;
  });
}

function isDirectory(e: FileSystemEntry): e is FileSystemDirectoryEntry {
  return e.isDirectory;
}

function isFile(e: FileSystemEntry): e is FileSystemFileEntry {
  return e.isFile;
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every child of a directory: readEntries returns them in batches until an empty one. */
async function children(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(dir: FileSystemDirectoryEntry, path: string, out: DroppedFile[]): Promise<void> {
  const entries = await children(dir);
  entries.sort((a, b) => byName(a.name, b.name));
  for (const e of entries) {
    const p = `${path}/${e.name}`;
    if (isDirectory(e)) await walk(e, p, out);
    else if (isFile(e)) out.push({ file: await fileOf(e), path: p, explicit: false });
  }
}

/**
 * The files of a drop, in the order dropped; folders are walked. The entries must be taken
 * while the drop event runs (the DataTransfer is emptied after it), so this reads them first
 * and walks afterwards.
 */
export async function fromDataTransfer(dt: DataTransfer): Promise<DroppedFile[]> {
  const items = Array.from(dt.items).filter((i) => i.kind === 'file');
  const taken = items.map((i) => ({ entry: i.webkitGetAsEntry(), file: i.getAsFile() }));
  if (taken.length === 0) return fromFileList(dt.files);
  const out: DroppedFile[] = [];
  for (const { entry, file } of taken) {
    if (entry !== null && isDirectory(entry)) await walk(entry, entry.name, out);
    // A DataTransfer built by a script has no file system entries: its files are plain Files.
    else if (file !== null) out.push({ file, path: file.name, explicit: true });
  }
  return out;
}
