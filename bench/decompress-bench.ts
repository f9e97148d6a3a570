/**
 * Decompression throughput of the io/decompress streams on a file given on the command line
 * (`node dist/bench/decompress-bench.js FILE.xz|.zst|.gz`). Prints MB/s of output.
 */
import { FileSource } from '../src/io/file-source.js';
import { decompressStream, detectCompression } from '../src/io/decompress.js';
import { DEFAULT_LIMITS } from '../src/limits.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: decompress-bench FILE');
const src = FileSource.open(path);
const format = detectCompression(src.read(0, Math.min(16, src.size)));
if (format === null) throw new Error(`${path}: not compressed`);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const st = decompressStream(src, format, { ...DEFAULT_LIMITS, maxCompressionRatio: 1e9 });
let n = 0;
for (let c = st.pull(); c !== null; c = st.pull()) n += c.length;
const s = (performance.now() - t0) / 1000;
const cpu = (process.cpuUsage().user - cpu0.user) / 1e6;
console.log(`${format}: ${n} bytes in ${s.toFixed(2)} s (cpu ${cpu.toFixed(2)} s) = ${(n / s / 1e6).toFixed(1)} MB/s wall, ${(n / cpu / 1e6).toFixed(1)} MB/s cpu`);
