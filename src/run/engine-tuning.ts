/**
 * V8 settings for the command-line tools, applied on import (the commands import this module
 * first, so they hold for every function compiled afterwards and for every worker thread, whose
 * isolates read the process-wide flags when they start). Not applied by the library entry: a
 * program that embeds the checks keeps its own engine settings.
 *
 * Why, measured on a scan of /usr's 3,590 ELF files (2 vCPUs, medians of 5 alternated runs):
 *
 * - Tier-up budget. A scan is short and runs a lot of distinct code once per file, and each
 *   worker thread compiles its own copy: with V8's default budget (67,584 bytecode units) a
 *   one-pass run spent ~1.4 s of background CPU in 367 TurboFan compilations, competing with the
 *   workers for the cores. Eight times the budget optimises only what stays hot: 5.14 -> 4.39 s
 *   wall, 9.6 -> 7.9 s CPU (/usr/bin: 1.91 -> 1.59 s). 16x was about the same, 32x and 64x
 *   slower again (too long in the interpreter).
 * - Inlining budget. Most of a scan's CPU is not in optimised code: `perf record` of a scan of
 *   the same list put ~5% of samples in TurboFan code, ~22% in baseline code and inline-cache
 *   builtins, and ~13% in TurboFan compiling (each worker compiles its own copy). A smaller
 *   cumulative inlining budget (150 bytecode units instead of 920) makes each compilation
 *   cheaper: in 16 alternated pairs of runs (flag on the command line), 13 used less CPU,
 *   median pair ratio 0.94 CPU and 0.96 wall; set here, 12 pairs gave 0.96 for both (medians
 *   2.61 -> 2.36 s). Three big files alone (chromium, libLLVM, node), whose time is in a few
 *   hot loops, took the same time.
 * - Heap growth. Left to itself V8 lets the old generation grow to several times the live data
 *   between full collections; on a walk of /usr a worker's heap reached 150 MB of which 10 MB
 *   was live (peak resident 330-410 MB). Growing 50% past the live data kept the peak near
 *   255 MB in the same time.
 */
import { setFlagsFromString } from 'node:v8';

const DEFAULT_INTERRUPT_BUDGET = 67_584;
const INTERRUPT_BUDGET = 8 * DEFAULT_INTERRUPT_BUDGET;
const HEAP_GROWING_PERCENT = 50;
const INLINED_BYTECODE_CUMULATIVE = 150;

setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_CUMULATIVE}`);
