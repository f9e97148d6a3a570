/**
 * What the three Node bundles of dist/bundle/ share (vite.cli.config.ts, vite.harden.config.ts,
 * vite.worker.config.ts): built from tsc's output in dist/src/, dependencies included (resolving
 * them is part of a command's start-up), not minified (readable stack traces in bug reports; the
 * size does not matter for start-up), for Node 20.
 */
import { defineConfig, type Plugin, type UserConfig } from 'vite';

export interface NodeBundle {
  /** Entry name → module in dist/src/. */
  readonly input: Readonly<Record<string, string>>;
  /** `esm`: chunks shared between the entries; `cjs`: one file per entry, dynamic imports inlined. */
  readonly format: 'esm' | 'cjs';
  /** True for the first bundle built into dist/bundle/. */
  readonly emptyOutDir?: boolean;
  readonly plugins?: Plugin[];
}

export function nodeBundle(b: NodeBundle): UserConfig {
  const output =
    b.format === 'esm'
      ? { format: 'esm' as const, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' }
      : { format: 'cjs' as const, entryFileNames: '[name].cjs', codeSplitting: false };
  return defineConfig({
    // Nothing from a public directory or an index.html: this is a Node build.
    publicDir: false,
    logLevel: 'warn',
    plugins: b.plugins ?? [],
    build: {
      ssr: true,
      outDir: 'dist/bundle',
      emptyOutDir: b.emptyOutDir ?? false,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: { ...b.input },
        output,
        // The decompressors are imported by hardening-check directly and by the scan task on
        // demand (src/run/tasks.ts): in a bundle with hardening-check they stay in its chunk,
        // which is what the warning would report.
        checks: { ineffectiveDynamicImport: false },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  });
}
