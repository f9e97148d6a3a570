/**
 * The drop-in's output for one file: the eight verdict lines (or the lintian tags), built from
 * the reference facts with the reference's strings, colours and quiet/verbose rules.
 */
import { REFERENCE_FORTIFIABLE } from './fortify-list.js';
import { type HardeningCheckOptions } from './options.js';
import { type ReferenceFacts } from './reference-facts.js';

const GREEN = '\u001b[32m';
const YELLOW = '\u001b[33m';
const RED = '\u001b[31m';
const RESET = '\u001b[0m';

/** The rendered result of one file. */
export interface FileReport {
  /** Text for stdout (may be empty). */
  readonly text: string;
  /** True when a check failed and was not ignored. */
  readonly failed: boolean;
}

type Lines = string[];

/** Builds the report of one readable file. */
export function renderReport(path: string, facts: ReferenceFacts, opts: HardeningCheckOptions): FileReport {
  const lines: Lines = [];
  const tags: string[] = [];
  let failed = false;
  const paint = (text: string, colour: string): string => (opts.color ? `${colour}${text}${RESET}` : text);

  // A passing verdict: the first word(s) in green, an optional uncoloured tail.
  const good = (label: string, verdict: string, tail = ''): void => {
    if (!opts.quiet) lines.push(` ${label}: ${paint(verdict, GREEN)}${tail}`);
  };
  const unknown = (label: string, verdict: string): void => {
    if (!opts.quiet) lines.push(` ${label}: ${paint(verdict, YELLOW)}`);
  };
  // A failing verdict is always listed (even in quiet mode); an ignored one says so and does
  // not count.
  const bad = (tag: string, label: string, verdict: string, ignored: boolean): void => {
    lines.push(` ${label}: ${paint(verdict, RED)}${ignored ? ' (ignored)' : ''}`);
    if (!ignored) {
      failed = true;
      if (opts.lintian) tags.push(`${tag}:${path}`);
    }
  };

  const funcs = new Set(facts.functions);
  let elf = true;

  // Position Independent Executable
  const pie = 'Position Independent Executable';
  if (facts.elfType === 'DYN') {
    if (facts.hasPhdr) good(pie, 'yes');
    else good(pie, 'no, regular shared library (ignored)');
  } else if (facts.elfType === 'EXEC') {
    bad('no-pie', pie, 'no, normal executable!', opts.skip.pie);
  } else {
    elf = false;
    if (facts.isArchive) good(pie, 'no, object archive (ignored)');
    else bad('unknown-elf', pie, `not a known ELF type!? (${facts.elfType})`, false);
  }

  // Stack protected
  const sp = 'Stack protected';
  if (funcs.has('__stack_chk_fail') || (!elf && funcs.has('__stack_chk_fail_local'))) good(sp, 'yes');
  else if (funcs.size === 0) unknown(sp, 'unknown, no symbols found');
  else bad('no-stackprotector', sp, 'no, not found!', opts.skip.stackProtector);

  // Fortify Source functions
  const fs = 'Fortify Source functions';
  const unprotected = REFERENCE_FORTIFIABLE.filter((n) => funcs.has(n)).sort();
  const protectedFns = REFERENCE_FORTIFIABLE.filter((n) => funcs.has(`__${n}_chk`)).sort();
  if (protectedFns.length > 0) {
    if (unprotected.length === 0) good(fs, 'yes');
    else good(fs, 'yes', ' (some protected functions found)');
  } else if (unprotected.length === 0) {
    unknown(fs, 'unknown, no protectable libc functions used');
  } else {
    bad('no-fortify-functions', fs, 'no, only unprotected functions found!', opts.skip.fortify);
  }
  if (opts.verbose && !opts.quiet) {
    for (const n of unprotected) lines.push(`\tunprotected: ${n}`);
    for (const n of protectedFns) lines.push(`\tprotected: ${n}`);
  }

  // Read-only relocations
  const rr = 'Read-only relocations';
  if (facts.hasRelro) good(rr, 'yes');
  else if (elf) bad('no-relro', rr, 'no, not found!', opts.skip.relro);
  else good(rr, 'no', ', non-ELF (ignored)');

  // Immediate binding
  const ib = 'Immediate binding';
  if (facts.bindNow) good(ib, 'yes');
  else if (elf) bad('no-bindnow', ib, 'no, not found!', opts.skip.bindNow);
  else good(ib, 'no', ', non-ELF (ignored)');

  // Stack clash protection: never a failure.
  const sc = 'Stack clash protection';
  if (facts.stackClash === true) good(sc, 'yes');
  else unknown(sc, 'unknown, no -fstack-clash-protection instructions found');

  // Control flow integrity / Branch Protection: failures on every architecture, as in the reference.
  const cf = 'Control flow integrity';
  if (facts.cfProtection) good(cf, 'yes');
  else bad('no-cfprotection', cf, 'no, not found!', opts.skip.cfProtection);
  const bp = 'Branch Protection';
  if (facts.branchProtection) good(bp, 'yes');
  else bad('no-branchprotection', bp, 'no, not found!', opts.skip.branchProtection);

  let text = '';
  if (!opts.lintian && (!opts.quiet || failed)) text += `${path}:\n${lines.map((l) => `${l}\n`).join('')}`;
  if (opts.reportFunctions) text += facts.functions.map((f) => `${f}\n`).join('');
  if (opts.lintian) text += tags.map((t) => `${t}\n`).join('');
  return { text, failed };
}

/** True when the report needs the stack-clash scan (the only costly fact). */
export function needsStackClash(opts: HardeningCheckOptions): boolean {
  // The line is never a failure: quiet and lintian output never show it.
  return !opts.quiet && !opts.lintian;
}
