import { parse } from 'lossless-json';
import { ExactDecimal } from './exact-decimal.js';

/**
 * A number from a test file, kept as its literal text. Upstream reads integer literals as
 * int/long and every literal with a point or exponent as an exact decimal with the literal's
 * scale; the comparison rules depend on which of the two a literal is, so both the kind and
 * the digits survive parsing here.
 */
export class JsonNumber {
  constructor(readonly text: string) {
    Object.freeze(this);
  }

  /** `5` or `-12` (not `5.0`, not `1E3`, which are decimal literals). */
  get isInteger(): boolean {
    return /^-?\d+$/.test(this.text);
  }

  /** The literal as an exact decimal keeping its scale (`1.50` has scale 2). */
  toDecimal(): ExactDecimal {
    const decimal = ExactDecimal.parse(this.text);
    if (!decimal) throw new Error(`not a JSON number: ${this.text}`);
    return decimal;
  }

  /** The integer value; for a decimal literal, truncated toward zero. */
  toBigInt(): bigint {
    return this.isInteger ? BigInt(this.text) : this.toDecimal().truncated();
  }

  toNumber(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }
}

/** A JSON value from a test file, with numbers kept exact. */
export type QttJson = null | boolean | string | JsonNumber | readonly QttJson[] | QttJsonObject;
export interface QttJsonObject {
  readonly [field: string]: QttJson;
}

export function isJsonObject(value: QttJson | undefined): value is QttJsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  );
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'JsonSyntaxError';
  }
}

/**
 * Parses a test file's JSON losslessly. `//` and `/* *\/` comments are allowed, as Jackson
 * allows them in upstream's files; a repeated key keeps its last value, as Jackson does.
 */
export function parseQttJson(text: string): QttJson {
  const source = blankOutComments(text);
  try {
    return parse(source, null, {
      parseNumber: (literal) => new JsonNumber(literal),
      onDuplicateKey: ({ newValue }) => newValue,
    }) as QttJson;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : source.length;
    const { line, column } = lineAndColumn(source, offset);
    throw new JsonSyntaxError(message.replace(/ at position \d+/, ''), line, column);
  }
}

/** Renders a test-file value back as JSON text, numbers as written. */
export function qttJsonText(value: QttJson | undefined): string {
  if (value === undefined) return '(absent)';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => qttJsonText(item)).join(', ')}]`;
  const fields = Object.entries(value as QttJsonObject).map(
    ([name, field]) => `${JSON.stringify(name)}: ${qttJsonText(field)}`,
  );
  return `{${fields.join(', ')}}`;
}

/**
 * Replaces comments with spaces (newlines kept), so positions in error messages still point
 * into the original text.
 */
function blankOutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return text.length;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}
