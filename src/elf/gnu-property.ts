import { type ElfDecoder } from './decoder.js';
import { nameOf } from './names.js';

/** pr_type values of NT_GNU_PROPERTY_TYPE_0 notes. */
export const GNU_PROPERTY = Object.freeze({
  STACK_SIZE: 1,
  NO_COPY_ON_PROTECTED: 2,
  MEMORY_SEAL: 3,
  '1_NEEDED': 0xb0008000,
  AARCH64_FEATURE_1_AND: 0xc0000000,
  AARCH64_FEATURE_PAUTH: 0xc0000001,
  X86_ISA_1_USED: 0xc0010002,
  X86_ISA_1_NEEDED: 0xc0008002,
  X86_FEATURE_1_AND: 0xc0000002,
  X86_FEATURE_2_USED: 0xc0010001,
  X86_FEATURE_2_NEEDED: 0xc0008001,
});

/** Bits of GNU_PROPERTY_X86_FEATURE_1_AND. */
export const X86_FEATURE_1 = Object.freeze({ IBT: 1, SHSTK: 2, LAM_U48: 4, LAM_U57: 8 });
/** Bits of GNU_PROPERTY_AARCH64_FEATURE_1_AND. */
export const AARCH64_FEATURE_1 = Object.freeze({ BTI: 1, PAC: 2, GCS: 4 });

/** One property: type and its data bytes. */
export interface GnuProperty {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * Decodes the properties of one NT_GNU_PROPERTY_TYPE_0 descriptor. Each entry is pr_type,
 * pr_datasz and the data padded to 8 bytes on ELF64 and 4 on ELF32. Returns the properties read
 * and, when an entry is malformed, an error naming the field (the ones before it stand).
 */
export function parseGnuProperties(d: ElfDecoder, desc: Uint8Array): { properties: GnuProperty[]; error?: string } {
  const pad = d.is64 ? 8 : 4;
  const properties: GnuProperty[] = [];
  let off = 0;
  while (off + 8 <= desc.length) {
    const type = d.u32(desc, off);
    const size = d.u32(desc, off + 4);
    if (size > desc.length - off - 8) return { properties, error: `GNU property 0x${type.toString(16)} pr_datasz ${size} runs past the note` };
    properties.push({ type, data: desc.subarray(off + 8, off + 8 + size) });
    off += 8 + Math.ceil(size / pad) * pad;
  }
  return { properties };
}

/** The 32-bit value of a 4-byte *_AND / *_USED property (feature bits), or undefined. */
export function propertyWord(d: ElfDecoder, p: GnuProperty): number | undefined {
  return p.data.length >= 4 ? d.u32(p.data, 0) : undefined;
}

export function gnuPropertyName(t: number): string {
  return nameOf(GNU_PROPERTY, t, 'GNU_PROPERTY_');
}
