// Data flags shared by every command (PRODUCT.md, "Data options"), as typed options. Declared,
// with their defaults, in src/options/flags.ts.
import type { dataFlags } from '../options/flags.js';
import type { OptionsOf } from '../options/spec.js';

export type DataFlags = OptionsOf<typeof dataFlags>;
