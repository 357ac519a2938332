/**
 * One CSV record, read and written the way ksqlDB's DELIMITED format does it with Apache
 * Commons CSV's default format (quote `"`, no escape character, quotes doubled inside a quoted
 * field). Written by hand because byte-exact agreement with that library's "minimal" quoting
 * is the point, and no npm CSV library quotes quite the same way.
 */

import { SerdeError } from './errors.js';
import { serdeMessages } from './messages.js';

const QUOTE = '"';
const QUOTE_CODE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const COMMENT = '#';

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Whether Commons CSV's minimal quoting quotes this field: an empty first field; a first field
 * starting with anything but an ASCII letter or digit; any field starting with a character at
 * or below `#` (space, `!`, `"`, `#`, controls); a field holding the delimiter, a quote, CR or
 * LF; a field ending in a character at or below space.
 */
function needsQuotes(value: string, delimiter: string, first: boolean): boolean {
  if (value.length === 0) return first;
  const c = value.charCodeAt(0);
  if (first && !isAsciiAlphanumeric(c)) return true;
  if (c <= COMMENT.charCodeAt(0)) return true;
  for (const ch of value) {
    if (ch === delimiter || ch === QUOTE || ch === '\n' || ch === '\r') return true;
  }
  return value.charCodeAt(value.length - 1) <= 0x20;
}

/** One CSV line (no line terminator). A null field is written as nothing, never quoted. */
export function formatCsvRecord(fields: readonly (string | null)[], delimiter: string): string {
  return fields
    .map((field, i) => {
      if (field === null) return '';
      return needsQuotes(field, delimiter, i === 0)
        ? QUOTE + field.replaceAll(QUOTE, QUOTE + QUOTE) + QUOTE
        : field;
    })
    .join(delimiter);
}

/**
 * The fields of the first CSV record in `text`. Quoted fields may hold the delimiter, quotes
 * (doubled) and line breaks; a quote inside an unquoted field is an ordinary character. An
 * empty text is one empty field: that is what a single null column is written as, so it must
 * read back (ksqlDB refuses it as "No fields in record").
 */
export function parseCsvRecord(text: string, delimiter: string): string[] {
  const delimiterCode = delimiter.charCodeAt(0);
  const isFieldEnd = (code: number) => code === delimiterCode || code === LF || code === CR;
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE_CODE) {
      field = '';
      let from = i + 1;
      for (;;) {
        const close = text.indexOf(QUOTE, from);
        if (close < 0) throw new SerdeError(serdeMessages.csvUnclosedQuote());
        field += text.slice(from, close);
        if (text.charCodeAt(close + 1) === QUOTE_CODE) {
          field += QUOTE;
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      if (i < text.length && !isFieldEnd(text.charCodeAt(i))) {
        throw new SerdeError(serdeMessages.csvCharAfterQuote());
      }
    } else {
      const from = i;
      while (i < text.length && !isFieldEnd(text.charCodeAt(i))) i++;
      field = text.slice(from, i);
    }
    fields.push(field);
    if (i >= text.length || text.charCodeAt(i) !== delimiterCode) return fields;
    i++;
  }
}
