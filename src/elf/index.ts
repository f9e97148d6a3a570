/** The ELF model and reader: one module per concern, re-exported here. */
export * from './decoder.js';
export * from './dynamic.js';
export * from './errors.js';
export * from './file.js';
export * from './gnu-property.js';
export * from './header.js';
export * from './machine.js';
export * from './names.js';
export * from './note.js';
export * from './relocation.js';
export * from './section.js';
export * from './segment.js';
export * from './strings.js';
export * from './symbol.js';
export * from './version.js';
