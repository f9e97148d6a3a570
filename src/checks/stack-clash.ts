/**
 * Stack clash protection: with -fstack-clash-protection every allocation that could move the
 * stack pointer more than a guard page is probed page by page, so the stack cannot jump over the
 * guard into another mapping. Seen in the code (src/code recognisers: x86-64 alloca/VLA probe
 * loops and fixed-frame probes of gcc and clang, and Rust's inline probes, which have the same
 * form, plus unprobed large frames; aarch64, s390x and ppc64 probe loops and steps), through
 * `__rust_probestack`, and in the recorded compile flags.
 *
 * A file with no frame larger than a page and no dynamic allocation has no probes whatever the
 * flags: absence proves nothing, so that is `unknown` — unless the recorded flags decide. In a
 * static binary, probes may come from the C library's own code, so they alone do not pass it.
 */
import { type CheckContext } from './context.js';
import { codeNotInFile, forEachCodeWindow } from './facts/code.js';
import { isStaticKind } from './facts/kind.js';
import { commandLineValues, describeRecorded, familyValues, hasRecordedOptions, stackClashOption } from './facts/recorded-flags.js';
import { findAarch64StackProbes, findPpc64StackProbes, findS390xStackProbes, findX86StackProbes, type StackProbes } from '../code/index.js';
import { EM } from '../elf/index.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { fail, notApplicable, pass, plural, unknown } from './verdict.js';

const REMEDY = 'compile with -fstack-clash-protection';

export interface ProbeFacts {
  readonly allocaLoops: number;
  readonly fixedFrame: number;
  /** Frames of a page or more with no probe (x86-64 only: elsewhere they cannot be found cheaply). */
  readonly unprobed: number;
  /** First few unprobed frame addresses, for evidence. */
  readonly unprobedAt: readonly number[];
  /** A recogniser stopped early (crafted input, or a limit): counts are lower bounds. */
  readonly truncated: boolean;
}

type Scanner = (code: Uint8Array, address: number) => StackProbes & { unprobedFrames?: number[] };

/** The machine-code recogniser for this file's architecture (src/code), if there is one. */
export function probeScanner(ctx: CheckContext): Scanner | undefined {
  const h = ctx.elf.header;
  switch (h.machine) {
    case EM.X86_64:
      return h.is64 ? findX86StackProbes : undefined;
    case EM.AARCH64:
      return findAarch64StackProbes;
    case EM.S390:
      return h.is64 ? findS390xStackProbes : undefined;
    case EM.PPC64:
      return (code, address) => findPpc64StackProbes(code, address, !h.littleEndian);
    default:
      return undefined;
  }
}

/** Scans the code for probes, window by window. */
export function probeFacts(ctx: CheckContext, scan: Scanner): ProbeFacts {
  let allocaLoops = 0;
  let fixedFrame = 0;
  let unprobed = 0;
  let truncated = false;
  const unprobedAt: number[] = [];
  forEachCodeWindow(ctx.elf, (w) => {
    const own = (a: number): boolean => a - w.address < w.ownEnd;
    const r = scan(w.bytes, w.address);
    allocaLoops += r.allocaLoops.filter(own).length;
    fixedFrame += r.fixedFrame.filter(own).length;
    truncated ||= r.truncated;
    for (const a of (r.unprobedFrames ?? []).filter(own)) {
      unprobed++;
      if (unprobedAt.length < 3) unprobedAt.push(a);
    }
  });
  return { allocaLoops, fixedFrame, unprobed, unprobedAt, truncated };
}

interface RecordedClash {
  readonly all: boolean;
  readonly none: boolean;
  readonly evidence: string;
}

function recordedClash(ctx: CheckContext): RecordedClash | undefined {
  const r = ctx.recorded;
  if (!hasRecordedOptions(r)) return undefined;
  if (r.units.length > 0) {
    const counts = familyValues(r, stackClashOption, 'off');
    const on = counts.get('on') ?? 0;
    return {
      all: on === r.units.length,
      none: on === 0,
      evidence: `${describeRecorded(r, counts, (v) => (v === 'on' ? 'with -fstack-clash-protection' : 'without -fstack-clash-protection'))}`,
    };
  }
  const set = commandLineValues(r, stackClashOption);
  return {
    all: set.has('on') && !set.has('off'),
    none: !set.has('on'),
    evidence: set.has('on') ? '.GCC.command.line names -fstack-clash-protection' : '.GCC.command.line does not name -fstack-clash-protection',
  };
}

function describeProbes(p: ProbeFacts): string {
  const parts: string[] = [];
  if (p.allocaLoops > 0) parts.push(`${plural(p.allocaLoops, 'probe loop')} for alloca/VLA`);
  if (p.fixedFrame > 0) parts.push(`${plural(p.fixedFrame, 'probed fixed frame')}`);
  return parts.join(' and ');
}

function hex(a: number): string {
  return `0x${a.toString(16)}`;
}

export const stackClashCheck: CheckDefinition<CheckContext> = {
  id: 'stack-clash',
  title: 'Stack clash protection',
  category: 'hardening',
  description:
    'Large or variable stack allocations are probed one page at a time, so the stack pointer can never skip over the guard page into the heap or another thread\'s stack (the "stack clash" attacks).',
  remedy: REMEDY,
  evaluate(ctx): Verdict {
    const kind = ctx.kind;
    if (kind === 'core' || kind === 'other-elf') return notApplicable(ctx.kindInfo.evidence);
    if (ctx.isGo) return notApplicable(`Go binary (${ctx.toolchain.go?.evidence ?? ''}): every Go function checks its stack bound in its prologue and the runtime grows stacks, so frames cannot jump a guard page`);
    const rec = recordedClash(ctx);
    const recText = rec === undefined ? '' : `; ${rec.evidence}`;
    const syms = ctx.symbols;
    // Rust's outlined probe function (older rustc; newer ones probe inline, which the code scan sees).
    const rustProbe = (): boolean => syms.has('__rust_probestack') && ctx.isRust;
    const staticKind = isStaticKind(kind);

    const scanner = probeScanner(ctx);
    if (scanner === undefined || codeNotInFile(ctx.elf)) {
      const base = scanner === undefined ? `no machine-code recogniser for ${ctx.machineName}` : 'the code is not in this file: its executable sections are NOBITS, as in a separate debug file';
      if (rustProbe()) return pass(`__rust_probestack present (Rust probes large frames)${recText}`);
      if (rec?.all === true) return pass(`${rec.evidence}`, 'recorded');
      if (rec !== undefined && rec.none) return fail(`${rec.evidence} (${base})`, REMEDY);
      if (rec !== undefined) return unknown(`${rec.evidence} (${base})`, REMEDY);
      return unknown(`${base}, and no recorded compile flags`, 'build with -g or -frecord-gcc-switches so the flags are recorded');
    }

    const p = probeFacts(ctx, scanner);
    const probes = p.allocaLoops + p.fixedFrame;
    const unprobedText = p.unprobed > 0 ? `${plural(p.unprobed, 'frame')} of a page or more allocated without a probe (first at ${p.unprobedAt.map(hex).join(', ')})` : '';
    if (probes === 0 && rustProbe()) return pass(`__rust_probestack present (Rust probes large frames)${recText}`);
    if (probes > 0) {
      const seen = `${describeProbes(p)} in the code${p.truncated ? ' (scan stopped early)' : ''}${p.unprobed > 0 ? `; also ${unprobedText}` : ''}`;
      if (staticKind && rec === undefined) {
        return unknown(`static binary: ${seen}, but the C library linked in may hold them; no recorded compile flags for this program's own code`, 'build with -g or -frecord-gcc-switches so the flags are recorded');
      }
      if (rec !== undefined && !rec.all) return pass(`${seen}${recText} (some units without the flag)`, 'partial');
      return pass(`${seen}${recText}`, 'yes');
    }
    if (p.unprobed > 0) {
      if (rec?.all === true) return pass(`${rec.evidence}; no probes found, and ${unprobedText} (gcc leaves outgoing-argument areas unprobed)`, 'recorded');
      return fail(`no stack probes, and ${unprobedText}${recText}`, REMEDY);
    }
    // Nothing needed probing: the flag cannot be seen in the code.
    const small = ctx.machine === EM.AARCH64 ? 'none of 64 KiB or more (the guard size gcc assumes on aarch64)' : 'none larger than a page';
    if (rec?.all === true) return pass(`${rec.evidence}; no frame needed probing (${small}, no alloca/VLA probe loop)`, 'recorded');
    if (rec?.none === true) return fail(`${rec.evidence}; no frame in the code needed probing, so the missing flag did no harm yet`, REMEDY);
    const none = ctx.machine === EM.X86_64 ? 'no frame larger than a page and no alloca/VLA probe loop in the code' : `no stack probe in the code (${ctx.machineName} frames ${ctx.machine === EM.AARCH64 ? 'under 64 KiB' : 'of one page'} need none, and unprobed large frames cannot be seen here)`;
    return unknown(`${none}: nothing needed probing, or the flag was off; it cannot be seen${recText}`, REMEDY);
  },
};
