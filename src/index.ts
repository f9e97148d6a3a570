/**
 * The library (the package's "." export), for Node. What the commands are built from:
 *
 *   const src = FileSource.open('/usr/bin/ls');            // or new BufferSource(bytes, name)
 *   const rows = scanSource(src, '/usr/bin/ls', { limits: DEFAULT_LIMITS, analyse: (elf) => analyseElf(elf), explicit: true });
 *   rows[0].checks.pie?.status                              // 'pass' | 'fail' | 'unknown' | 'not-applicable'
 *
 *   const elf = ElfFile.open(src);                          // the ELF model: headers, dynamic, symbols, notes
 *
 * Importing it installs Node's zlib for compressed debug sections (src/io/native-zlib.ts).
 */
import './io/native-zlib.js';

export * from './elf/index.js';
export * from './checks/index.js';
export { type ByteSource, BufferSource } from './io/byte-source.js';
export { FileSource } from './io/file-source.js';
export { scanSource, type SourceScanContext } from './scan/scan-source.js';
export { type CheckResult, type FileResult } from './scan/result.js';
export { DEFAULT_LIMITS, type Limits, LimitError, LimitOverrideError, limitsFromEnv, parseLimitOverrides } from './limits.js';
export { computeBuildFlags, type BuildFlagsInput, type BuildFlagsResult } from './flags/index.js';
