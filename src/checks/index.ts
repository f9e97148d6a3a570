/** The checks of `harden scan`: the analysis entry point, the registry and the shared types. */
export * from './analyse.js';
export * from './context.js';
export * from './registry.js';
export * from './types.js';
export { kindWords } from './facts/kind.js';
