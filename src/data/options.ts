// Data flags shared by every command (PRODUCT.md, "Data options"), as typed options.
import type { FillPolicy } from './types.js';

export interface DataFlags {
  time?: string;
  /** One column, 'a,b,c' (a wide file: one series per column), or 'all-numeric'. */
  target?: string;
  features?: string[];
  id?: string;
  freq?: string;
  fill: FillPolicy; // default 'interpolate'
  delimiter?: string; // default: detected
  /** --time-format: Luxon tokens (default: the forms rnncast recognises). */
  timeFormat?: string;
  /** --tz: IANA zone of naive local times (default: none, times as written). */
  tz?: string;
}
