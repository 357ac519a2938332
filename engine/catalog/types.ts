/**
 * Sluice's SQL type model: ksqlDB's types as frozen, kind-tagged objects.
 *
 * - Primitive types are singletons (`SqlTypes.INTEGER`), so `===` works for them, but always
 *   compare with `typesEqual`, which also handles the parameterised kinds.
 * - DECIMAL(p, s) follows ksqlDB: precision >= 1, 0 <= scale <= precision, and no upper bound
 *   on precision (ksqlDB accepts DECIMAL(50, 30)).
 * - MAP keys may be any type at the SQL level (`MAP(k := v)` with an INTEGER k is a
 *   MAP<INTEGER, ...>); formats such as JSON reject non-STRING keys when a schema is persisted.
 * - STRUCT fields are ordered and their names are case-sensitive (the parser upper-cases
 *   unquoted identifiers before they get here).
 */
import { catalogMessages } from './messages.js';

export type PrimitiveKind =
  | 'BOOLEAN'
  | 'INTEGER'
  | 'BIGINT'
  | 'DOUBLE'
  | 'STRING'
  | 'BYTES'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP';

export type SqlTypeKind = PrimitiveKind | 'DECIMAL' | 'ARRAY' | 'MAP' | 'STRUCT';

export interface PrimitiveType<K extends PrimitiveKind = PrimitiveKind> {
  readonly kind: K;
}

export interface DecimalType {
  readonly kind: 'DECIMAL';
  readonly precision: number;
  readonly scale: number;
}

export interface ArrayType {
  readonly kind: 'ARRAY';
  readonly element: SqlType;
}

export interface MapType {
  readonly kind: 'MAP';
  readonly key: SqlType;
  readonly value: SqlType;
}

export interface StructField {
  readonly name: string;
  readonly type: SqlType;
}

export interface StructType {
  readonly kind: 'STRUCT';
  readonly fields: readonly StructField[];
}

export type SqlType = PrimitiveType | DecimalType | ArrayType | MapType | StructType;

/** A user's mistake in a type: bad DECIMAL parameters, duplicate STRUCT fields. */
export class SqlTypeError extends Error {
  override readonly name = 'SqlTypeError';
}

function primitive<K extends PrimitiveKind>(kind: K): PrimitiveType<K> {
  return Object.freeze({ kind });
}

export const SqlTypes = Object.freeze({
  BOOLEAN: primitive('BOOLEAN'),
  INTEGER: primitive('INTEGER'),
  BIGINT: primitive('BIGINT'),
  DOUBLE: primitive('DOUBLE'),
  STRING: primitive('STRING'),
  BYTES: primitive('BYTES'),
  DATE: primitive('DATE'),
  TIME: primitive('TIME'),
  TIMESTAMP: primitive('TIMESTAMP'),
});

const PRIMITIVES: ReadonlyMap<string, PrimitiveType> = new Map(
  Object.values(SqlTypes).map((t) => [t.kind, t] as const),
);

/** The primitive type of that name; accepts ksqlDB's aliases INT and VARCHAR. */
export function primitiveType(name: string): PrimitiveType | undefined {
  const upper = name.toUpperCase();
  if (upper === 'INT') return SqlTypes.INTEGER;
  if (upper === 'VARCHAR') return SqlTypes.STRING;
  return PRIMITIVES.get(upper);
}

export function decimalType(precision: number, scale: number): DecimalType {
  if (!Number.isInteger(precision) || precision < 1) {
    throw new SqlTypeError(catalogMessages.decimalPrecisionTooSmall(precision, scale));
  }
  if (!Number.isInteger(scale) || scale < 0) {
    throw new SqlTypeError(catalogMessages.decimalScaleNegative(precision, scale));
  }
  if (precision < scale) {
    throw new SqlTypeError(catalogMessages.decimalScaleAbovePrecision(precision, scale));
  }
  return Object.freeze({ kind: 'DECIMAL', precision, scale });
}

export function arrayType(element: SqlType): ArrayType {
  return Object.freeze({ kind: 'ARRAY', element });
}

export function mapType(key: SqlType, value: SqlType): MapType {
  return Object.freeze({ kind: 'MAP', key, value });
}

export function structType(fields: readonly StructField[]): StructType {
  const seen = new Set<string>();
  for (const field of fields) {
    if (field.name.length === 0) throw new SqlTypeError(catalogMessages.emptyStructFieldName());
    if (seen.has(field.name)) {
      throw new SqlTypeError(catalogMessages.duplicateStructField(field.name));
    }
    seen.add(field.name);
  }
  const frozen = Object.freeze(fields.map((f) => Object.freeze({ name: f.name, type: f.type })));
  return Object.freeze({ kind: 'STRUCT', fields: frozen });
}

/** Shorthand for tests and built-ins: `struct(['A', SqlTypes.INTEGER], ['B', SqlTypes.STRING])`. */
export function struct(...fields: readonly (readonly [string, SqlType])[]): StructType {
  return structType(fields.map(([name, type]) => ({ name, type })));
}

export function isNumericType(type: SqlType): boolean {
  return (
    type.kind === 'INTEGER' || type.kind === 'BIGINT' || type.kind === 'DECIMAL' || type.kind === 'DOUBLE'
  );
}

export function isTimeType(type: SqlType): boolean {
  return type.kind === 'DATE' || type.kind === 'TIME' || type.kind === 'TIMESTAMP';
}

export function isPrimitiveType(type: SqlType): type is PrimitiveType {
  return PRIMITIVES.has(type.kind);
}

export function structField(type: StructType, name: string): StructField | undefined {
  return type.fields.find((f) => f.name === name);
}

export function typesEqual(a: SqlType, b: SqlType): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'DECIMAL':
      return b.kind === 'DECIMAL' && a.precision === b.precision && a.scale === b.scale;
    case 'ARRAY':
      return b.kind === 'ARRAY' && typesEqual(a.element, b.element);
    case 'MAP':
      return b.kind === 'MAP' && typesEqual(a.key, b.key) && typesEqual(a.value, b.value);
    case 'STRUCT':
      return (
        b.kind === 'STRUCT' &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => {
          const other = b.fields[i];
          return other !== undefined && f.name === other.name && typesEqual(f.type, other.type);
        })
      );
    default:
      return a.kind === b.kind;
  }
}

/** True when the type is, or contains, a MAP: ksqlDB refuses such key columns. */
export function containsMap(type: SqlType): boolean {
  switch (type.kind) {
    case 'MAP':
      return true;
    case 'ARRAY':
      return containsMap(type.element);
    case 'STRUCT':
      return type.fields.some((f) => containsMap(f.type));
    default:
      return false;
  }
}

export interface FormatTypeOptions {
  /**
   * Which STRUCT field names to back-quote. ksqlDB quotes them all in schemas, error messages
   * and REST `schema` strings (`STRUCT<\`A\` INTEGER>`), which is the default here.
   */
  readonly quoteField?: (name: string) => boolean;
}

const ALWAYS = (): boolean => true;

/** The ksqlDB text of a type: `DECIMAL(4, 2)`, `MAP<STRING, INTEGER>`, `STRUCT<\`A\` INTEGER>`. */
export function formatType(type: SqlType, options: FormatTypeOptions = {}): string {
  const quoteField = options.quoteField ?? ALWAYS;
  const format = (t: SqlType): string => {
    switch (t.kind) {
      case 'DECIMAL':
        return `DECIMAL(${t.precision}, ${t.scale})`;
      case 'ARRAY':
        return `ARRAY<${format(t.element)}>`;
      case 'MAP':
        return `MAP<${format(t.key)}, ${format(t.value)}>`;
      case 'STRUCT':
        return `STRUCT<${t.fields.map((f) => `${quoteIdentifier(f.name, quoteField(f.name))} ${format(f.type)}`).join(', ')}>`;
      default:
        return t.kind;
    }
  };
  return format(type);
}

/** Back-quotes a name the way ksqlDB does (a back-quote inside is doubled). */
export function quoteIdentifier(name: string, quote = true): string {
  return quote ? '`' + name.replaceAll('`', '``') + '`' : name;
}
