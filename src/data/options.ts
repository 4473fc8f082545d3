// Data flags shared by every command (PRODUCT.md, "Data options"), as typed options.
import type { FillPolicy } from './types.js';

export interface DataFlags {
  time?: string;
  target?: string;
  features?: string[];
  id?: string;
  freq?: string;
  fill: FillPolicy; // default 'interpolate'
  delimiter?: string; // default: detected
}
