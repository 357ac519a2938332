/**
 * ksqlDB's typing rules over `SqlType`: implicit widening, the common super type of several
 * expressions (CASE branches, IN lists, ARRAY/MAP constructors), the result type of
 * arithmetic (DECIMAL follows SQL Server's precision/scale rules, as ksqlDB does), which
 * explicit CASTs exist, and which comparisons are legal.
 *
 * These rules are about types only. ksqlDB's extra freedom for literals (a STRING literal
 * '10' may become a number, 'yes' a BOOLEAN) belongs to the analyzer, which knows what is a
 * literal; it layers that on top of `commonSuperType`.
 */
import { catalogMessages } from './messages.js';
import {
  arrayType,
  type DecimalType,
  decimalType,
  formatType,
  isNumericType,
  isTimeType,
  mapType,
  type SqlType,
  SqlTypeError,
  SqlTypes,
  type StructField,
  structType,
  typesEqual,
} from './types.js';

/** INTEGER and BIGINT seen as decimals without losing digits (ksqlDB's upcast types). */
export const INTEGER_AS_DECIMAL = decimalType(10, 0);
export const BIGINT_AS_DECIMAL = decimalType(19, 0);

const NUMERIC_RANK: Readonly<Record<string, number>> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

function numericRank(type: SqlType): number {
  return NUMERIC_RANK[type.kind] ?? -1;
}

/** INTEGER/BIGINT/DECIMAL as a DECIMAL type; undefined for anything else. */
export function asDecimalType(type: SqlType): DecimalType | undefined {
  switch (type.kind) {
    case 'DECIMAL':
      return type;
    case 'INTEGER':
      return INTEGER_AS_DECIMAL;
    case 'BIGINT':
      return BIGINT_AS_DECIMAL;
    default:
      return undefined;
  }
}

/** Integer digits a DECIMAL type can hold: precision - scale. */
function integerDigits(type: DecimalType): number {
  return type.precision - type.scale;
}

/** The narrowest DECIMAL that holds every value of both (both must be decimal-convertible). */
export function widenDecimal(a: SqlType, b: SqlType): DecimalType {
  const left = asDecimalType(a);
  const right = asDecimalType(b);
  if (left === undefined || right === undefined) {
    throw new SqlTypeError(catalogMessages.notDecimalConvertible(left === undefined ? a.kind : b.kind));
  }
  const scale = Math.max(left.scale, right.scale);
  return decimalType(Math.max(integerDigits(left), integerDigits(right)) + scale, scale);
}

/**
 * Whether a value of `from` may be used where `to` is expected without an explicit CAST.
 * Numbers widen along INTEGER -> BIGINT -> DECIMAL -> DOUBLE; a DECIMAL only into a DECIMAL
 * with at least as many integer digits and as much scale; collections and structs
 * element-wise (a STRUCT by the fields both sides have).
 */
export function canImplicitlyCast(from: SqlType, to: SqlType): boolean {
  if (typesEqual(from, to)) return true;
  if (isNumericType(from) && isNumericType(to)) {
    if (from.kind === 'DECIMAL' && to.kind === 'DECIMAL') {
      return from.scale <= to.scale && integerDigits(from) <= integerDigits(to);
    }
    return numericRank(from) <= numericRank(to);
  }
  if (from.kind === 'ARRAY' && to.kind === 'ARRAY') return canImplicitlyCast(from.element, to.element);
  if (from.kind === 'MAP' && to.kind === 'MAP') {
    return canImplicitlyCast(from.key, to.key) && canImplicitlyCast(from.value, to.value);
  }
  if (from.kind === 'STRUCT' && to.kind === 'STRUCT') {
    return from.fields.every((f) => {
      const target = to.fields.find((t) => t.name === f.name);
      return target === undefined || canImplicitlyCast(f.type, target.type);
    });
  }
  return false;
}

/**
 * The narrowest type both `a` and `b` implicitly cast to, or undefined when there is none.
 * STRUCTs combine by field name: shared fields take their common type, the others are kept
 * (first `a`'s fields in order, then `b`'s new ones).
 */
export function commonSuperType(a: SqlType, b: SqlType): SqlType | undefined {
  if (typesEqual(a, b)) return a;
  if (isNumericType(a) && isNumericType(b)) {
    if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return SqlTypes.DOUBLE;
    if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') return widenDecimal(a, b);
    return numericRank(a) >= numericRank(b) ? a : b;
  }
  if (a.kind === 'ARRAY' && b.kind === 'ARRAY') {
    const element = commonSuperType(a.element, b.element);
    return element && arrayType(element);
  }
  if (a.kind === 'MAP' && b.kind === 'MAP') {
    const key = commonSuperType(a.key, b.key);
    const value = commonSuperType(a.value, b.value);
    return key && value && mapType(key, value);
  }
  if (a.kind === 'STRUCT' && b.kind === 'STRUCT') {
    const fields: StructField[] = [];
    for (const field of a.fields) {
      const other = b.fields.find((f) => f.name === field.name);
      if (other === undefined) {
        fields.push(field);
        continue;
      }
      const type = commonSuperType(field.type, other.type);
      if (type === undefined) return undefined;
      fields.push({ name: field.name, type });
    }
    for (const field of b.fields) {
      if (!a.fields.some((f) => f.name === field.name)) fields.push(field);
    }
    return structType(fields);
  }
  return undefined;
}

export type SuperTypeResult =
  /** `type` is null when every input was the NULL literal's (absent) type. */
  | { readonly ok: true; readonly type: SqlType | null }
  /** `index` is the first input that fits no common type with the ones before it. */
  | { readonly ok: false; readonly index: number };

/** The common super type of a list whose `null` entries are untyped NULL literals. */
export function commonSuperTypeOf(types: readonly (SqlType | null)[]): SuperTypeResult {
  let result: SqlType | null = null;
  for (const [index, type] of types.entries()) {
    if (type === null) continue;
    if (result === null) {
      result = type;
      continue;
    }
    const common = commonSuperType(result, type);
    if (common === undefined) return { ok: false, index };
    result = common;
  }
  return { ok: true, type: result };
}

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

/** Result type of DECIMAL arithmetic (SQL Server's rules, which ksqlDB adopted). */
export function decimalArithmeticType(
  op: ArithmeticOperator,
  left: DecimalType,
  right: DecimalType,
): DecimalType {
  const p1 = left.precision;
  const s1 = left.scale;
  const p2 = right.precision;
  const s2 = right.scale;
  switch (op) {
    case '+':
    case '-': {
      const scale = Math.max(s1, s2);
      return decimalType(scale + Math.max(p1 - s1, p2 - s2) + 1, scale);
    }
    case '*':
      return decimalType(p1 + p2 + 1, s1 + s2);
    case '/': {
      const scale = Math.max(6, s1 + p2 + 1);
      return decimalType(p1 - s1 + s2 + scale, scale);
    }
    case '%': {
      const scale = Math.max(s1, s2);
      return decimalType(Math.min(p1 - s1, p2 - s2) + scale, scale);
    }
  }
}

/**
 * Result type of `left op right`; `null` stands for the NULL literal. Throws SqlTypeError with
 * ksqlDB's message when the operation is not defined. STRING + STRING concatenates.
 */
export function arithmeticResultType(
  op: ArithmeticOperator,
  left: SqlType | null,
  right: SqlType | null,
): SqlType {
  if (left === null || right === null) {
    const name = (t: SqlType | null) => (t === null ? 'null' : formatType(t));
    throw new SqlTypeError(catalogMessages.arithmeticOnNull(name(left), name(right)));
  }
  if (op === '+' && left.kind === 'STRING' && right.kind === 'STRING') return SqlTypes.STRING;
  if (!isNumericType(left) || !isNumericType(right)) {
    throw new SqlTypeError(catalogMessages.unsupportedArithmetic(left.kind, right.kind));
  }
  if (left.kind === 'DOUBLE' || right.kind === 'DOUBLE') return SqlTypes.DOUBLE;
  if (left.kind === 'DECIMAL' || right.kind === 'DECIMAL') {
    return decimalArithmeticType(op, asDecimalType(left)!, asDecimalType(right)!);
  }
  return numericRank(left) >= numericRank(right) ? left : right;
}

/**
 * Whether `CAST(x AS to)` is allowed for an `x` of type `from`: numbers and STRING into any
 * number; anything but BYTES into STRING; STRING into BOOLEAN and the time types; TIMESTAMP
 * into DATE and TIME; DATE into TIMESTAMP; collections and structs element-wise.
 */
export function canCast(from: SqlType, to: SqlType): boolean {
  if (typesEqual(from, to)) return true;
  switch (to.kind) {
    case 'STRING':
      return from.kind !== 'BYTES';
    case 'BOOLEAN':
      return from.kind === 'STRING';
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'DOUBLE':
      return isNumericType(from) || from.kind === 'STRING';
    case 'TIMESTAMP':
      return from.kind === 'STRING' || from.kind === 'DATE';
    case 'DATE':
    case 'TIME':
      return from.kind === 'STRING' || from.kind === 'TIMESTAMP';
    case 'BYTES':
      return false;
    case 'ARRAY':
      return from.kind === 'ARRAY' && canCast(from.element, to.element);
    case 'MAP':
      return from.kind === 'MAP' && canCast(from.key, to.key) && canCast(from.value, to.value);
    case 'STRUCT':
      return (
        from.kind === 'STRUCT' &&
        to.fields.every((t) => {
          const source = from.fields.find((f) => f.name === t.name);
          return source === undefined || canCast(source.type, t.type);
        })
      );
  }
}

export function castNotSupportedMessage(from: SqlType, to: SqlType): string {
  return catalogMessages.castNotSupported(formatType(from), formatType(to));
}

export type ComparisonOperator =
  | 'EQUAL'
  | 'NOT_EQUAL'
  | 'LESS_THAN'
  | 'LESS_THAN_OR_EQUAL'
  | 'GREATER_THAN'
  | 'GREATER_THAN_OR_EQUAL'
  | 'IS_DISTINCT_FROM'
  | 'IS_NOT_DISTINCT_FROM';

function isEqualityOperator(op: ComparisonOperator): boolean {
  return op === 'EQUAL' || op === 'NOT_EQUAL' || op === 'IS_DISTINCT_FROM' || op === 'IS_NOT_DISTINCT_FROM';
}

/**
 * Whether `left op right` type-checks: numbers with numbers; STRING with STRING; time types
 * with time types (a DATE compares with a TIMESTAMP at its midnight; TIME only with TIME) or
 * with STRING (parsed); BYTES with BYTES; BOOLEAN and the structured types only for
 * (in)equality, and structured types only when they share a common type.
 */
export function isValidComparison(left: SqlType, op: ComparisonOperator, right: SqlType): boolean {
  if (isNumericType(left)) return isNumericType(right);
  if (isTimeType(left) || isTimeType(right)) {
    if (left.kind === 'STRING' || right.kind === 'STRING') return true;
    if (!isTimeType(left) || !isTimeType(right)) return false;
    return (left.kind === 'TIME') === (right.kind === 'TIME');
  }
  switch (left.kind) {
    case 'STRING':
    case 'BYTES':
      return right.kind === left.kind;
    case 'BOOLEAN':
      return right.kind === 'BOOLEAN' && isEqualityOperator(op);
    default:
      return isEqualityOperator(op) && commonSuperType(left, right) !== undefined;
  }
}
