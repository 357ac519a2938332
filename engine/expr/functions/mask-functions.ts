/**
 * ksqlDB's MASK functions: upper-case letters become X, lower-case x, digits n and anything
 * else -, unless the call gives other replacement characters (a null one keeps that class).
 */
import type { SqlValue } from '../../catalog/values.js';
import { type FunctionDefinition, scalar, sig } from './function-definition.js';

const STRING = 'STRING';

interface MaskChars {
  readonly upper: string | null;
  readonly lower: string | null;
  readonly digit: string | null;
  readonly other: string | null;
}

const DEFAULT_MASK: MaskChars = { upper: 'X', lower: 'x', digit: 'n', other: '-' };

function maskCharsOf(args: readonly SqlValue[], from: number): MaskChars {
  if (args.length <= from) return DEFAULT_MASK;
  const charAt = (i: number): string | null => {
    const v = args[from + i];
    return typeof v === 'string' && v.length > 0 ? (v[0] as string) : null;
  };
  return { upper: charAt(0), lower: charAt(1), digit: charAt(2), other: charAt(3) };
}

function maskChar(c: string, chars: MaskChars): string {
  let replacement: string | null;
  if (c >= 'A' && c <= 'Z') replacement = chars.upper;
  else if (c >= 'a' && c <= 'z') replacement = chars.lower;
  else if (c >= '0' && c <= '9') replacement = chars.digit;
  else replacement = chars.other;
  return replacement ?? c;
}

function mask(s: string, from: number, to: number, chars: MaskChars): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    out += i >= from && i < to ? maskChar(c, chars) : c;
  }
  return out;
}

const MASK_CHAR_PARAMS = 'STRING upper, STRING lower, STRING digit, STRING other';

/** MASK_LEFT-style functions: which range of the input they mask, given numChars. */
function maskFamily(
  name: string,
  description: string,
  range: (length: number, n: number) => [number, number],
): FunctionDefinition {
  const run = (args: readonly SqlValue[]): SqlValue => {
    const [input, n] = args;
    if (input === null || n === null) return null;
    const s = input as string;
    const count = n as number;
    if (count < 0)
      throw new Error(`function ${name.toLowerCase()} requires a non-negative number of characters`);
    const [from, to] = range(s.length, count);
    return mask(s, from, to, maskCharsOf(args, 2));
  };
  return scalar(name, STRING, description, [
    sig('STRING input, INT numChars', STRING, (args) => run(args as SqlValue[])),
    sig(`STRING input, INT numChars, ${MASK_CHAR_PARAMS}`, STRING, (args) => run(args as SqlValue[])),
  ]);
}

export const maskFunctions: readonly FunctionDefinition[] = [
  scalar('MASK', STRING, 'Masks letters, digits and other characters.', [
    sig('STRING input', STRING, ([s]) => (s === null ? null : mask(s as string, 0, Infinity, DEFAULT_MASK))),
    sig(`STRING input, ${MASK_CHAR_PARAMS}`, STRING, (args) =>
      args[0] === null ? null : mask(args[0] as string, 0, Infinity, maskCharsOf(args as SqlValue[], 1)),
    ),
  ]),
  maskFamily('MASK_LEFT', 'Masks the first numChars characters.', (_, n) => [0, n]),
  maskFamily('MASK_RIGHT', 'Masks the last numChars characters.', (length, n) => [length - n, length]),
  maskFamily('MASK_KEEP_LEFT', 'Masks all but the first numChars characters.', (length, n) => [n, length]),
  maskFamily('MASK_KEEP_RIGHT', 'Masks all but the last numChars characters.', (length, n) => [
    0,
    length - n,
  ]),
];
