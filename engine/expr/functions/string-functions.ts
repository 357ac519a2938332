/**
 * ksqlDB's string functions. Strings are UTF-16 like Java's, so lengths and positions count
 * code units, as ksqlDB's do. Positions are 1-based; negative positions count from the end.
 */
import { randomUUID } from 'node:crypto';
import { mapType, SqlTypes } from '../../catalog/types.js';
import type { SqlValue } from '../../catalog/values.js';
import { type FunctionDefinition, scalar, sig, strict } from './function-definition.js';

const STRING = 'STRING';

/** Java's String.trim: strips every char <= U+0020 from both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return s.slice(start, end);
}

/** ksqlDB's SUBSTRING bounds: 1-based, negative from the end, clamped to the input. */
export function substringBounds(length: number, pos: number, len?: number): [number, number] {
  const start = pos < 0 ? Math.max(length + pos, 0) : Math.max(Math.min(pos - 1, length), 0);
  if (len === undefined) return [start, length];
  return [start, Math.max(Math.min(start + len, length), start)];
}

function instr(str: string, sub: string, position: number, occurrence: number): number {
  if (occurrence <= 0 || position === 0 || Math.abs(position) > str.length) return 0;
  let index: number;
  if (position > 0) {
    index = position - 1;
    for (let n = 0; n < occurrence; n++) {
      index = str.indexOf(sub, n === 0 ? index : index + 1);
      if (index < 0) return 0;
    }
  } else {
    // Searching backwards from `position` means the match must end there.
    index = str.length + position - sub.length + 1;
    if (index < 0) return 0;
    for (let n = 0; n < occurrence; n++) {
      index = str.lastIndexOf(sub, n === 0 ? index : index - 1);
      if (index < 0) return 0;
    }
  }
  return index + 1;
}

/** Splits on a literal delimiter keeping empty parts; an empty delimiter splits every char. */
function splitString(s: string, delimiter: string): string[] {
  return delimiter === '' ? (s === '' ? [''] : s.split('')) : s.split(delimiter);
}

function pad(input: string, length: number, padding: string, left: boolean): string | null {
  if (length < 0 || padding === '') return null;
  if (length <= input.length) return input.slice(0, length);
  const fill = padding
    .repeat(Math.ceil((length - input.length) / padding.length))
    .slice(0, length - input.length);
  return left ? fill + input : input + fill;
}

function initcap(s: string): string {
  return s.replace(/[^\s]+/g, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
}

/** CHR of a `\uXXXX` escape sequence (one or a surrogate pair); anything else is null. */
function chrOfEscape(text: string): string | null {
  if (!/^(\\u[0-9a-fA-F]{4})+$/.test(text)) return null;
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

function chrOfCode(code: number): string | null {
  if (code < 0 || code > 0x10ffff) return null;
  return String.fromCodePoint(code);
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

function splitBytes(bytes: Uint8Array, delimiter: Uint8Array): Uint8Array[] {
  const buffer = Buffer.from(bytes);
  if (delimiter.length === 0) {
    if (buffer.length === 0) return [new Uint8Array(0)];
    return [...buffer].map((b) => Uint8Array.of(b));
  }
  const parts: Uint8Array[] = [];
  let start = 0;
  for (;;) {
    const at = buffer.indexOf(delimiter, start);
    if (at < 0) break;
    parts.push(Uint8Array.from(buffer.subarray(start, at)));
    start = at + delimiter.length;
  }
  parts.push(Uint8Array.from(buffer.subarray(start)));
  return parts;
}

function padBytes(input: Uint8Array, length: number, padding: Uint8Array, left: boolean): Uint8Array | null {
  if (length < 0 || padding.length === 0) return null;
  if (length <= input.length) return input.slice(0, length);
  const fill = new Uint8Array(length - input.length);
  for (let i = 0; i < fill.length; i++) fill[i] = padding[i % padding.length] as number;
  return left ? concatBytes([fill, input]) : concatBytes([input, fill]);
}

function splitToMap(input: string, entryDelimiter: string, kvDelimiter: string): SqlValue {
  if (entryDelimiter === '' || kvDelimiter === '') return null;
  const map = new Map<SqlValue, SqlValue>();
  for (const entry of input.split(entryDelimiter)) {
    if (entry === '') continue;
    const parts = entry.split(kvDelimiter);
    if (parts.length < 2) continue;
    map.set(parts[0] as string, parts[1] as string);
  }
  return map;
}

export const stringFunctions: readonly FunctionDefinition[] = [
  scalar('CONCAT', STRING, 'Concatenates the non-null inputs.', [
    sig('STRING... inputs', STRING, (args) => args.filter((a) => a !== null).join('')),
    sig('BYTES... inputs', 'BYTES', (args) => concatBytes(args.filter((a): a is Uint8Array => a !== null))),
  ]),
  scalar('CONCAT_WS', STRING, 'Concatenates the non-null inputs with a separator between them.', [
    sig('STRING separator, STRING... inputs', STRING, ([sep, ...rest]) =>
      sep === null ? null : rest.filter((a) => a !== null).join(sep as string),
    ),
    sig('BYTES separator, BYTES... inputs', 'BYTES', ([sep, ...rest]) => {
      if (sep === null) return null;
      const parts: Uint8Array[] = [];
      for (const part of rest) {
        if (part === null) continue;
        if (parts.length > 0) parts.push(sep as Uint8Array);
        parts.push(part as Uint8Array);
      }
      return concatBytes(parts);
    }),
  ]),
  scalar(
    'SUBSTRING',
    STRING,
    'The part of a string or bytes from a 1-based position, optionally of a length.',
    [
      sig(
        'STRING str, INT pos',
        STRING,
        strict(([s, p]) => {
          const [from, to] = substringBounds((s as string).length, p as number);
          return (s as string).slice(from, to);
        }),
      ),
      sig(
        'STRING str, INT pos, INT length',
        STRING,
        strict(([s, p, l]) => {
          const [from, to] = substringBounds((s as string).length, p as number, l as number);
          return (s as string).slice(from, to);
        }),
      ),
      sig(
        'BYTES bytes, INT pos',
        'BYTES',
        strict(([b, p]) => {
          const [from, to] = substringBounds((b as Uint8Array).length, p as number);
          return (b as Uint8Array).slice(from, to);
        }),
      ),
      sig(
        'BYTES bytes, INT pos, INT length',
        'BYTES',
        strict(([b, p, l]) => {
          const [from, to] = substringBounds((b as Uint8Array).length, p as number, l as number);
          return (b as Uint8Array).slice(from, to);
        }),
      ),
    ],
  ),
  scalar('LEN', STRING, 'The length of a string (UTF-16 code units) or of bytes.', [
    sig(
      'STRING input',
      'INT',
      strict(([s]) => (s as string).length),
    ),
    sig(
      'BYTES input',
      'INT',
      strict(([b]) => (b as Uint8Array).length),
    ),
  ]),
  scalar('UCASE', STRING, 'Upper-cases a string.', [
    sig(
      'STRING input',
      STRING,
      strict(([s]) => (s as string).toUpperCase()),
    ),
  ]),
  scalar('LCASE', STRING, 'Lower-cases a string.', [
    sig(
      'STRING input',
      STRING,
      strict(([s]) => (s as string).toLowerCase()),
    ),
  ]),
  scalar('TRIM', STRING, 'Removes leading and trailing whitespace.', [
    sig(
      'STRING input',
      STRING,
      strict(([s]) => javaTrim(s as string)),
    ),
  ]),
  scalar('REPLACE', STRING, 'Replaces every occurrence of a substring.', [
    sig(
      'STRING str, STRING substring, STRING replacement',
      STRING,
      strict(([s, from, to]) => (s as string).replaceAll(from as string, () => to as string)),
    ),
  ]),
  scalar('INSTR', STRING, 'The 1-based position of a substring, or 0 when absent.', [
    sig('STRING str, STRING substring', 'INT', ([s, sub]) =>
      s === null || sub === null ? 0 : instr(s as string, sub as string, 1, 1),
    ),
    sig('STRING str, STRING substring, INT position', 'INT', ([s, sub, p]) =>
      s === null || sub === null || p === null ? 0 : instr(s as string, sub as string, p as number, 1),
    ),
    sig('STRING str, STRING substring, INT position, INT occurrence', 'INT', ([s, sub, p, o]) =>
      s === null || sub === null || p === null || o === null
        ? 0
        : instr(s as string, sub as string, p as number, o as number),
    ),
  ]),
  scalar('SPLIT', STRING, 'Splits a string or bytes on a delimiter.', [
    sig(
      'STRING string, STRING delimiter',
      'ARRAY<STRING>',
      strict(([s, d]) => splitString(s as string, d as string)),
    ),
    sig(
      'BYTES bytes, BYTES delimiter',
      'ARRAY<BYTES>',
      strict(([b, d]) => splitBytes(b as Uint8Array, d as Uint8Array)),
    ),
  ]),
  scalar('SPLIT_TO_MAP', STRING, 'Splits a string into key-value pairs.', [
    sig(
      'STRING input, STRING entryDelimiter, STRING kvDelimiter',
      { text: 'MAP<STRING, STRING>', rule: () => mapType(SqlTypes.STRING, SqlTypes.STRING) },
      strict(([s, e, kv]) => splitToMap(s as string, e as string, kv as string)),
    ),
  ]),
  scalar('LPAD', STRING, 'Pads the input on the left to a length.', [
    sig(
      'STRING input, INT length, STRING padding',
      STRING,
      strict(([s, l, p]) => pad(s as string, l as number, p as string, true)),
    ),
    sig(
      'BYTES input, INT length, BYTES padding',
      'BYTES',
      strict(([s, l, p]) => padBytes(s as Uint8Array, l as number, p as Uint8Array, true)),
    ),
  ]),
  scalar('RPAD', STRING, 'Pads the input on the right to a length.', [
    sig(
      'STRING input, INT length, STRING padding',
      STRING,
      strict(([s, l, p]) => pad(s as string, l as number, p as string, false)),
    ),
    sig(
      'BYTES input, INT length, BYTES padding',
      'BYTES',
      strict(([s, l, p]) => padBytes(s as Uint8Array, l as number, p as Uint8Array, false)),
    ),
  ]),
  scalar('INITCAP', STRING, 'Capitalises the first letter of each word and lower-cases the rest.', [
    sig(
      'STRING input',
      STRING,
      strict(([s]) => initcap(s as string)),
    ),
  ]),
  scalar('CHR', STRING, 'The character of a Unicode code point, given as a number or as a \\uXXXX escape.', [
    sig(
      'INT decimalCode',
      STRING,
      strict(([c]) => chrOfCode(c as number)),
    ),
    sig(
      'STRING utf16Code',
      STRING,
      strict(([c]) => chrOfEscape(c as string)),
    ),
  ]),
  scalar('ELT', STRING, 'The n-th (1-based) of the string arguments, or null when out of range.', [
    sig('INT n, STRING... args', STRING, ([n, ...rest]) => {
      if (n === null) return null;
      const index = n as number;
      return index < 1 || index > rest.length ? null : ((rest[index - 1] as SqlValue) ?? null);
    }),
  ]),
  scalar('FIELD', STRING, 'The 1-based position of a string among the arguments, or 0.', [
    sig('STRING str, STRING... args', 'INT', ([s, ...rest]) =>
      s === null || s === undefined ? 0 : rest.indexOf(s) + 1,
    ),
  ]),
  scalar('UUID', STRING, 'A random UUID, or the text of a UUID given as 16 bytes.', [
    sig('', STRING, () => randomUUID()),
    sig(
      'BYTES bytes',
      STRING,
      strict(([b]) => {
        const hex = Buffer.from(b as Uint8Array).toString('hex');
        if (hex.length !== 32) return null;
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      }),
    ),
  ]),
];
