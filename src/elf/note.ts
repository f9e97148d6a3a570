import { type ElfDecoder } from './decoder.js';
import { decodeBytes } from './strings.js';

/** Note types of the "GNU" owner. */
export const NT_GNU = Object.freeze({ ABI_TAG: 1, HWCAP: 2, BUILD_ID: 3, GOLD_VERSION: 4, PROPERTY_TYPE_0: 5 });
/** Go's build id note ("Go" owner). */
export const NT_GO_BUILDID = 4;

/** One note: owner name, type and descriptor bytes (a view into the note area). */
export interface Note {
  readonly name: string;
  readonly type: number;
  readonly desc: Uint8Array;
  /** Offset of the note header within its note area. */
  readonly offset: number;
}

/** Iterator step: a note, or the error that stopped iteration (the notes before it stand). */
export type NoteResult = { readonly note: Note } | { readonly error: string; readonly offset: number };

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/**
 * Walks the notes of one note area (a PT_NOTE segment or SHT_NOTE section). `align` is the
 * area's alignment: 8 for the 8-byte-aligned GNU property notes of ELF64, else 4 — values below
 * 4 are treated as 4, as binutils does. The descriptor starts at the header plus name size
 * rounded up to `align`, the next note at the descriptor end rounded up to `align`. A malformed
 * header ends the walk with an error value naming the field; it never throws.
 */
export function* iterateNotes(d: ElfDecoder, area: Uint8Array, align: number, maxNotes: number): Generator<NoteResult> {
  const a = align === 8 ? 8 : 4;
  let off = 0;
  let count = 0;
  while (off + 12 <= area.length) {
    if (count++ >= maxNotes) {
      yield { error: `more than ${maxNotes} notes (limit maxNotes)`, offset: off };
      return;
    }
    const namesz = d.u32(area, off);
    const descsz = d.u32(area, off + 4);
    const type = d.u32(area, off + 8);
    const nameStart = off + 12;
    if (namesz > area.length - nameStart) {
      yield { error: `note namesz ${namesz} runs past the note area`, offset: off };
      return;
    }
    const descStart = alignUp(nameStart + namesz, a);
    if (descStart > area.length || descsz > area.length - descStart) {
      yield { error: `note descsz ${descsz} runs past the note area`, offset: off };
      return;
    }
    // The name is NUL-terminated within namesz; tolerate a missing terminator.
    let nameEnd = nameStart + namesz;
    while (nameEnd > nameStart && area[nameEnd - 1] === 0) nameEnd--;
    const name = decodeBytes(area, nameStart, nameEnd);
    yield { note: { name, type, desc: area.subarray(descStart, descStart + descsz), offset: off } };
    const next = alignUp(descStart + descsz, a);
    if (next <= off) return;
    off = next;
  }
}

/** Hex string of a build id. */
export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
