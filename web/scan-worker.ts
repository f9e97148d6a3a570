/**
 * The page's scan worker: the same `scanSource` and checks as `harden scan`, on a dropped File,
 * off the page's thread so the page stays responsive while a large file or package is read.
 * Options are those of the CLI (default limits, no openExternal: a thin archive's members are
 * other files the page was not given).
 */
import { analyseElf } from '../src/checks/analyse.js';
import { BufferSource, type ByteSource } from '../src/io/byte-source.js';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { scanSource } from '../src/scan/scan-source.js';
import { BlobSource, syncReaderCtor } from './blob-source.js';
import { type ScanReply, type ScanRequest } from './protocol.js';

const Reader = syncReaderCtor();

async function open(file: File, name: string): Promise<ByteSource> {
  // FileReaderSync exists in every dedicated worker; the buffer is a fallback for odd hosts.
  return Reader !== undefined ? new BlobSource(file, name, Reader) : new BufferSource(new Uint8Array(await file.arrayBuffer()), name);
}

async function handle(req: ScanRequest): Promise<ScanReply> {
  try {
    const src = await open(req.file, req.path);
    const results = scanSource(src, req.path, { limits: DEFAULT_LIMITS, analyse: analyseElf, explicit: req.explicit });
    return { id: req.id, ok: true, results };
  } catch (e) {
    // scanSource turns bad input into rows; this is the last guard, as in the CLI's worker.
    return { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

addEventListener('message', (e: MessageEvent<ScanRequest>) => {
  void handle(e.data).then((reply) => postMessage(reply));
});
