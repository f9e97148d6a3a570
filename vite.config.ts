/**
 * Builds the browser page (web/) into dist/web/: a page that runs from its folder, opened as
 * file:// or served by `harden serve`, and fetches nothing.
 *
 * - Classic scripts (IIFE), not ES modules: browsers refuse module scripts from file:// pages.
 * - The scan worker is inlined (a blob: URL), since a file:// page cannot start a worker from a file.
 * - The styles are inlined: the report's stylesheet (so the page and `--format html` look alike)
 *   and web/page.css (the drop zone). IIFE builds would otherwise inject them from the script,
 *   so the page would show unstyled until the script ran.
 * - A library module that imports Node (node:fs...) fails the build instead of being stubbed:
 *   the page runs the library code itself or not at all.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import { HTML_STYLE } from './src/report/html-style.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const NODE = new Set(builtinModules);

function noNodeModules(): Plugin {
  return {
    name: 'harden:no-node-modules',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id.startsWith('node:') || NODE.has(id)) this.error(`${importer ?? '?'} imports ${id}: the page must not pull in Node modules`);
      return null;
    },
  };
}

function classicPage(): Plugin {
  return {
    name: 'harden:classic-page',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html
          .replace('<!-- harden:style -->', () => `<style>${HTML_STYLE}\n${readFileSync(new URL('./web/page.css', import.meta.url), 'utf8')}</style>`)
          .replace(/<script type="module" crossorigin (src="[^"]+")><\/script>/g, '<script defer $1></script>')
          .replace(/ crossorigin/g, ''),
    },
  };
}

export default defineConfig({
  root: 'web',
  base: './',
  define: { __HARDEN_VERSION__: JSON.stringify(pkg.version) },
  plugins: [noNodeModules(), classicPage()],
  worker: { format: 'iife', plugins: () => [noNodeModules()] },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    reportCompressedSize: false,
    // One script of ~550 kB (the checks, twice: the page needs their descriptions, the inlined
    // worker runs them) read from disk once; splitting it would not make the page faster.
    chunkSizeWarningLimit: 800,
    // The worker plugin's timing notice (it bundles the whole checker) is expected, not news.
    rolldownOptions: { output: { format: 'iife' }, checks: { bundlerTimings: false } },
  },
});
