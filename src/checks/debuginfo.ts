/**
 * Whether DWARF debug information is present (.debug_info, or .zdebug_info, compressed either
 * way), or linked from a separate file (.gnu_debuglink, .gnu_debugaltlink). Information.
 */
import { type CheckContext } from './context.js';
import { sectionCompression, sectionContents } from '../elf/compressed.js';
import { SHT } from '../elf/index.js';
import { getString } from '../elf/strings.js';
import { type CheckDefinition, type Verdict } from './types.js';
import { errorMessage, notApplicable, pass } from './verdict.js';

export const debuginfoCheck: CheckDefinition<CheckContext> = {
  id: 'debuginfo',
  title: 'Debug information',
  category: 'information',
  description: 'Whether the file carries DWARF debug information (and so its compile flags), or points to a separate debug file.',
  remedy: 'build with -g; ship the debug information separately (objcopy --only-keep-debug, .gnu_debuglink) if size matters',
  evaluate(ctx): Verdict {
    if (ctx.kind === 'core') return notApplicable(ctx.kindInfo.evidence);
    const elf = ctx.elf;
    const info = elf.section('.debug_info') ?? elf.section('.zdebug_info');
    const buildId = (): string => {
      try {
        const id = elf.buildId;
        return id === undefined ? '' : `; build ID ${id}`;
      } catch {
        return '';
      }
    };
    if (info !== undefined && info.size > 0 && info.type !== SHT.NOBITS) {
      let how = '';
      try {
        const c = sectionCompression(elf, info);
        if (c !== 'none') how = ` (${c === 'zdebug-zlib' ? 'legacy .zdebug zlib' : `SHF_COMPRESSED ${c}`})`;
      } catch (e) {
        how = ` (compression header unreadable: ${errorMessage(e)})`;
      }
      return pass(`${info.name}, ${info.size} bytes${how}${buildId()}`, 'yes');
    }
    const link = elf.section('.gnu_debuglink');
    if (link !== undefined) {
      let name = '';
      try {
        name = getString(sectionContents(elf, link, 4096), 0) ?? '';
      } catch {
        name = '';
      }
      return pass(`no .debug_info; .gnu_debuglink names ${name === '' ? 'a separate file' : JSON.stringify(name)}${buildId()}`, 'separate');
    }
    if (elf.section('.gnu_debugaltlink') !== undefined) return pass(`no .debug_info; .gnu_debugaltlink names a supplementary file${buildId()}`, 'separate');
    return pass(`no .debug_info section${buildId()}`, 'no');
  },
};
