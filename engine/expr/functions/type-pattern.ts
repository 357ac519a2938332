/**
 * Parameter type patterns: the types a function declares, which may be generic (`T`,
 * `ARRAY<T>`, `MAP<K, V>`, `(T) => U`) or open (`DECIMAL` of any precision, `STRUCT` of any
 * fields), and how an argument's SQL type matches one.
 *
 * Declarations write patterns as text (`'ARRAY<T>'`, `'(K, V) => BOOLEAN'`), parsed once when
 * the registry is built, so each family file reads like ksqlDB's function reference.
 */
import { asDecimalType } from '../../catalog/type-rules.js';
import {
  arrayType,
  decimalType,
  formatType,
  isNumericType,
  mapType,
  type PrimitiveKind,
  type SqlType,
  SqlTypes,
  typesEqual,
} from '../../catalog/types.js';

export type TypePattern =
  | { readonly kind: 'PRIMITIVE'; readonly type: SqlType }
  /** DECIMAL of any precision and scale (ksqlDB's `BigDecimal` parameter). */
  | { readonly kind: 'ANY_DECIMAL' }
  /** STRUCT of any fields (ksqlDB's `Struct` parameter without a declared schema). */
  | { readonly kind: 'ANY_STRUCT' }
  | { readonly kind: 'ARRAY'; readonly element: TypePattern }
  | { readonly kind: 'MAP'; readonly key: TypePattern; readonly value: TypePattern }
  | { readonly kind: 'GENERIC'; readonly name: string }
  | { readonly kind: 'LAMBDA'; readonly params: readonly TypePattern[]; readonly returns: TypePattern }
  /** A time unit keyword (`SECONDS`, `DAYS`, ...). */
  | { readonly kind: 'INTERVAL_UNIT' };

export type GenericBindings = Map<string, SqlType>;

const PRIMITIVE_NAMES: Readonly<Record<string, PrimitiveKind>> = {
  BOOLEAN: 'BOOLEAN',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  STRING: 'STRING',
  VARCHAR: 'STRING',
  BYTES: 'BYTES',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

/** Parses a pattern such as `MAP<K, ARRAY<V>>` or `(S, T) => S`. Throws on a malformed one. */
export function parseTypePattern(text: string): TypePattern {
  const parser = new PatternParser(text);
  const pattern = parser.pattern();
  parser.end();
  return pattern;
}

class PatternParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  pattern(): TypePattern {
    this.skipSpace();
    if (this.peek() === '(') return this.lambda();
    const name = this.word();
    switch (name) {
      case 'DECIMAL':
        return { kind: 'ANY_DECIMAL' };
      case 'STRUCT':
        return { kind: 'ANY_STRUCT' };
      case 'INTERVALUNIT':
        return { kind: 'INTERVAL_UNIT' };
      case 'ARRAY': {
        this.expect('<');
        const element = this.pattern();
        this.expect('>');
        return { kind: 'ARRAY', element };
      }
      case 'MAP': {
        this.expect('<');
        const key = this.pattern();
        this.expect(',');
        const value = this.pattern();
        this.expect('>');
        return { kind: 'MAP', key, value };
      }
    }
    const primitive = PRIMITIVE_NAMES[name];
    if (primitive !== undefined) return { kind: 'PRIMITIVE', type: SqlTypes[primitive] };
    return { kind: 'GENERIC', name };
  }

  end(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail();
  }

  private lambda(): TypePattern {
    this.expect('(');
    const params: TypePattern[] = [];
    this.skipSpace();
    if (this.peek() !== ')') {
      params.push(this.pattern());
      while (this.tryConsume(',')) params.push(this.pattern());
    }
    this.expect(')');
    this.expect('=>');
    return { kind: 'LAMBDA', params, returns: this.pattern() };
  }

  private word(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (match === null) this.fail();
    this.pos += match[0].length;
    return match[0].toUpperCase();
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private tryConsume(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.tryConsume(token)) this.fail();
  }

  private skipSpace(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  private fail(): never {
    throw new Error(`Malformed type pattern at ${this.pos}: ${this.text}`);
  }
}

/** ksqlDB's text of a parameter type in signatures: `INT`, `DECIMAL`, `ARRAY<T>`, `MAP<K, V>`. */
export function formatTypePattern(pattern: TypePattern): string {
  switch (pattern.kind) {
    case 'PRIMITIVE':
      return pattern.type.kind === 'INTEGER' ? 'INT' : formatType(pattern.type);
    case 'ANY_DECIMAL':
      return 'DECIMAL';
    case 'ANY_STRUCT':
      return 'STRUCT';
    case 'INTERVAL_UNIT':
      return 'INTERVALUNIT';
    case 'ARRAY':
      return `ARRAY<${formatTypePattern(pattern.element)}>`;
    case 'MAP':
      return `MAP<${formatTypePattern(pattern.key)}, ${formatTypePattern(pattern.value)}>`;
    case 'GENERIC':
      return pattern.name;
    case 'LAMBDA':
      return `LAMBDA (${pattern.params.map(formatTypePattern).join(', ')}) => ${formatTypePattern(pattern.returns)}`;
  }
}

export function countGenerics(pattern: TypePattern): number {
  switch (pattern.kind) {
    case 'GENERIC':
      return 1;
    case 'ARRAY':
      return countGenerics(pattern.element);
    case 'MAP':
      return countGenerics(pattern.key) + countGenerics(pattern.value);
    case 'LAMBDA':
      return pattern.params.reduce((n, p) => n + countGenerics(p), countGenerics(pattern.returns));
    default:
      return 0;
  }
}

export function hasGenerics(pattern: TypePattern): boolean {
  return countGenerics(pattern) > 0;
}

const NUMERIC_RANK: Readonly<Record<string, number>> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

/**
 * ksqlDB's implicit cast between base types for function arguments: numbers widen
 * INTEGER -> BIGINT -> DECIMAL -> DOUBLE, whatever the DECIMAL's precision.
 */
function canWidenBase(from: SqlType, toKind: string): boolean {
  const from_ = NUMERIC_RANK[from.kind];
  const to = NUMERIC_RANK[toKind];
  return from_ !== undefined && to !== undefined && from_ <= to;
}

export interface MatchOptions {
  /** The second resolution pass: numbers may widen, generics may widen to a common type. */
  readonly allowCasts: boolean;
}

/**
 * Whether a value of `type` fits `pattern`, binding generics in `bindings` as it goes (the
 * caller passes a copy it may discard). Generics bind to the exact type in the first pass; in
 * the casting pass a generic already bound to a number may widen to a wider number.
 */
export function matchType(
  pattern: TypePattern,
  type: SqlType,
  bindings: GenericBindings,
  options: MatchOptions,
): boolean {
  switch (pattern.kind) {
    case 'PRIMITIVE':
      return typesEqual(pattern.type, type) || (options.allowCasts && canWidenBase(type, pattern.type.kind));
    case 'ANY_DECIMAL':
      return type.kind === 'DECIMAL' || (options.allowCasts && canWidenBase(type, 'DECIMAL'));
    case 'ANY_STRUCT':
      return type.kind === 'STRUCT';
    case 'ARRAY':
      return type.kind === 'ARRAY' && matchType(pattern.element, type.element, bindings, options);
    case 'MAP':
      return (
        type.kind === 'MAP' &&
        matchType(pattern.key, type.key, bindings, options) &&
        matchType(pattern.value, type.value, bindings, options)
      );
    case 'GENERIC':
      return bindGeneric(pattern.name, type, bindings, options);
    case 'LAMBDA':
    case 'INTERVAL_UNIT':
      return false;
  }
}

function bindGeneric(name: string, type: SqlType, bindings: GenericBindings, options: MatchOptions): boolean {
  const bound = bindings.get(name);
  if (bound === undefined) {
    bindings.set(name, type);
    return true;
  }
  if (typesEqual(bound, type)) return true;
  if (!options.allowCasts || !isNumericType(bound) || !isNumericType(type)) return false;
  const wider = widerNumber(bound, type);
  bindings.set(name, wider);
  return true;
}

/** The wider of two numeric types along ksqlDB's widening order. */
function widerNumber(a: SqlType, b: SqlType): SqlType {
  if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return SqlTypes.DOUBLE;
  if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') {
    const left = asDecimalType(a);
    const right = asDecimalType(b);
    if (left !== undefined && right !== undefined) {
      const scale = Math.max(left.scale, right.scale);
      const digits = Math.max(left.precision - left.scale, right.precision - right.scale);
      return decimalType(digits + scale, scale);
    }
  }
  return (NUMERIC_RANK[a.kind] ?? 0) >= (NUMERIC_RANK[b.kind] ?? 0) ? a : b;
}

/**
 * The concrete type of a pattern under `bindings`, or undefined when it still has an unbound
 * generic or is open (`DECIMAL`, `STRUCT`) with nothing to close it.
 */
export function instantiate(pattern: TypePattern, bindings: GenericBindings): SqlType | undefined {
  switch (pattern.kind) {
    case 'PRIMITIVE':
      return pattern.type;
    case 'GENERIC':
      return bindings.get(pattern.name);
    case 'ARRAY': {
      const element = instantiate(pattern.element, bindings);
      return element && arrayType(element);
    }
    case 'MAP': {
      const key = instantiate(pattern.key, bindings);
      const value = instantiate(pattern.value, bindings);
      return key && value && mapType(key, value);
    }
    default:
      return undefined;
  }
}

/**
 * The type an argument of `argType` is converted to for `pattern` once resolution is done:
 * the pattern's own type where it is closed, the argument's where the pattern is open
 * (a DECIMAL argument keeps its precision; an INTEGER becomes DECIMAL(10, 0)).
 */
export function parameterTypeFor(
  pattern: TypePattern,
  argType: SqlType | null,
  bindings: GenericBindings,
): SqlType | null {
  switch (pattern.kind) {
    case 'ANY_DECIMAL':
      return argType === null ? null : (asDecimalType(argType) ?? argType);
    case 'ANY_STRUCT':
      return argType;
    case 'ARRAY':
      if (argType?.kind === 'ARRAY') {
        const element = parameterTypeFor(pattern.element, argType.element, bindings);
        return element && arrayType(element);
      }
      return instantiate(pattern, bindings) ?? null;
    case 'MAP':
      if (argType?.kind === 'MAP') {
        const key = parameterTypeFor(pattern.key, argType.key, bindings);
        const value = parameterTypeFor(pattern.value, argType.value, bindings);
        return key && value && mapType(key, value);
      }
      return instantiate(pattern, bindings) ?? null;
    default:
      return instantiate(pattern, bindings) ?? null;
  }
}
