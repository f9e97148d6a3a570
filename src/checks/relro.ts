/**
 * RELRO: after relocation the loader makes the PT_GNU_RELRO range (GOT, .dynamic,
 * .init_array...) read-only. Full RELRO adds immediate binding, so the PLT's GOT is inside the
 * range too; partial leaves the lazily bound GOT entries writable.
 */
import { type CheckContext } from './context.js';
import { bindingFacts } from './bindnow.js';
import { isLoadableKind } from './facts/kind.js';
import { PT } from '../elf/index.js';
import { type CheckDefinition } from './types.js';
import { fail, notApplicable, pass } from './verdict.js';

export const relroCheck: CheckDefinition<CheckContext> = {
  id: 'relro',
  title: 'Read-only relocations (RELRO)',
  category: 'hardening',
  description:
    'With RELRO the dynamic loader makes the relocated data (GOT, .dynamic, .init_array...) read-only before the program runs, so a memory-corruption bug cannot redirect calls through them. Full RELRO (with immediate binding) also covers the PLT entries of the GOT.',
  remedy: 'link with -Wl,-z,relro (and -Wl,-z,now for full RELRO)',
  evaluate(ctx) {
    const kind = ctx.kind;
    if (!isLoadableKind(kind)) return notApplicable(`${ctx.kindInfo.evidence}: RELRO is applied by the loader to linked executables and libraries`);
    const relro = ctx.elf.segments(PT.GNU_RELRO);
    if (relro.length === 0) {
      if (kind === 'static-executable' && ctx.isGo) {
        return notApplicable(`no PT_GNU_RELRO; static Go executable (${ctx.toolchain.go?.evidence ?? ''}): no loader, no relocations to protect`);
      }
      if (ctx.isGo) return fail('no PT_GNU_RELRO program header (Go)', 'build with go build -buildmode=pie (the external or internal linker then emits PT_GNU_RELRO)');
      return fail('no PT_GNU_RELRO program header: relocated data stays writable', 'link with -Wl,-z,relro -Wl,-z,now');
    }
    const seg = relro[0];
    const range = seg === undefined ? '' : ` (0x${seg.vaddr.toString(16)}, ${seg.memsz} bytes)`;
    const b = bindingFacts(ctx);
    if (b.now) return pass(`PT_GNU_RELRO present${range}; ${b.evidence}: full RELRO`, 'full');
    if (b.noLazyBindings) return pass(`PT_GNU_RELRO present${range}; ${b.evidence}: nothing is bound lazily, so RELRO covers every relocated pointer (full in effect)`, 'full');
    return pass(`PT_GNU_RELRO present${range}; ${b.evidence}: partial RELRO (the lazily bound GOT entries stay writable; link with -Wl,-z,now for full)`, 'partial');
  },
};
