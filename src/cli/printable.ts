/**
 * Text from files (layer names, paths, messages that quote them) made safe for a terminal: ANSI escape
 * sequences and other control characters are removed, so a model cannot recolour, move the cursor or
 * rewrite what the user sees. Line breaks and tabs are kept.
 */
import { stripVTControlCharacters } from 'node:util';

// C0 controls but tab and line feed, DEL, and the C1 controls (U+0080–U+009F, e.g. the 8-bit CSI U+009B).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without escape sequences or control characters (newlines and tabs kept). */
export function printable(text: string): string {
  return stripVTControlCharacters(text).replace(CONTROL, '');
}

/** `text` as one printable line (line breaks become spaces). */
export function printableLine(text: string): string {
  return printable(text.replace(/\s*\r?\n\s*/g, ' ')).trim();
}
