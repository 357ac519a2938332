/**
 * CAST(x AS type) as ksqlDB evaluates it, chosen once per (from, to) pair: numbers narrow the
 * Java way (`CAST(2147483648 AS INTEGER)` wraps, `CAST(1e20 AS BIGINT)` saturates, decimals
 * truncate), DECIMAL targets round HALF_UP and fail on overflow, strings parse as Java parses
 * them, and collections and structs convert element by element (a struct by field name).
 * Which pairs are allowed is type-rules.ts `canCast`; a failing conversion throws and the
 * compiler turns it into null plus a processing-log entry, as ksqlDB does.
 */
import type { DecimalType, SqlType } from '../catalog/types.js';
import { typesEqual } from '../catalog/types.js';
import {
  epochDay,
  millisOfDay,
  parseDateText,
  parseTimestampText,
  parseTimeText,
} from '../catalog/value-text.js';
import {
  Decimal,
  fitDecimalRounded,
  MILLIS_PER_DAY,
  type SqlStruct,
  type SqlValue,
  ValueError,
} from '../catalog/values.js';
import {
  decimalToInt,
  decimalToLong,
  doubleToInt,
  doubleToLong,
  javaText,
  longToInt,
  parseJavaBigDecimal,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
  parseLenientBoolean,
} from './java-values.js';
import { exprMessages } from './messages.js';

/** Converts a value of `from` to `to`; null stays null. */
export type ValueConverter = (value: SqlValue) => SqlValue;

const IDENTITY: ValueConverter = (v) => v;

function nullSafe(convert: (value: NonNullable<SqlValue>) => SqlValue): ValueConverter {
  return (v) => (v === null ? null : convert(v));
}

/** The conversion for CAST from `from` to `to`; callers check `canCast` first. */
export function castConverter(from: SqlType, to: SqlType): ValueConverter {
  if (typesEqual(from, to) && to.kind !== 'DECIMAL') return IDENTITY;
  switch (to.kind) {
    case 'STRING':
      return from.kind === 'STRING' ? IDENTITY : nullSafe((v) => javaText(v, from));
    case 'BOOLEAN':
      return from.kind === 'STRING' ? nullSafe((v) => parseLenientBoolean((v as string).trim())) : IDENTITY;
    case 'INTEGER':
      return toInteger(from);
    case 'BIGINT':
      return toBigint(from);
    case 'DOUBLE':
      return toDouble(from);
    case 'DECIMAL':
      return toDecimal(from, to);
    case 'DATE':
      if (from.kind === 'STRING') return nullSafe((v) => parseDateText(v as string));
      return from.kind === 'TIMESTAMP' ? nullSafe((v) => epochDay(v as number)) : IDENTITY;
    case 'TIME':
      if (from.kind === 'STRING') return nullSafe((v) => parseTimeText(v as string));
      return from.kind === 'TIMESTAMP' ? nullSafe((v) => millisOfDay(v as number)) : IDENTITY;
    case 'TIMESTAMP':
      if (from.kind === 'STRING') return nullSafe((v) => parseTimestampText(v as string));
      return from.kind === 'DATE' ? nullSafe((v) => (v as number) * MILLIS_PER_DAY) : IDENTITY;
    case 'BYTES':
      return IDENTITY;
    case 'ARRAY': {
      if (from.kind !== 'ARRAY') return IDENTITY;
      const element = castConverter(from.element, to.element);
      return element === IDENTITY ? IDENTITY : nullSafe((v) => (v as readonly SqlValue[]).map(element));
    }
    case 'MAP': {
      if (from.kind !== 'MAP') return IDENTITY;
      const key = castConverter(from.key, to.key);
      const value = castConverter(from.value, to.value);
      if (key === IDENTITY && value === IDENTITY) return IDENTITY;
      return nullSafe((v) => {
        const result = new Map<SqlValue, SqlValue>();
        for (const [k, x] of v as ReadonlyMap<SqlValue, SqlValue>) result.set(key(k), value(x));
        return result;
      });
    }
    case 'STRUCT': {
      if (from.kind !== 'STRUCT') return IDENTITY;
      const fields = to.fields.map((field) => {
        const source = from.fields.find((f) => f.name === field.name);
        return {
          name: field.name,
          convert: source === undefined ? undefined : castConverter(source.type, field.type),
        };
      });
      return nullSafe((v) => {
        const struct = v as SqlStruct;
        const result: Record<string, SqlValue> = Object.create(null);
        for (const field of fields) {
          result[field.name] = field.convert === undefined ? null : field.convert(struct[field.name] ?? null);
        }
        return result;
      });
    }
  }
}

function toInteger(from: SqlType): ValueConverter {
  switch (from.kind) {
    case 'BIGINT':
      return nullSafe((v) => longToInt(v as bigint));
    case 'DOUBLE':
      return nullSafe((v) => doubleToInt(v as number));
    case 'DECIMAL':
      return nullSafe((v) => decimalToInt(v as Decimal));
    case 'STRING':
      return nullSafe((v) => parseJavaInt((v as string).trim()));
    default:
      return IDENTITY;
  }
}

function toBigint(from: SqlType): ValueConverter {
  switch (from.kind) {
    case 'INTEGER':
      return nullSafe((v) => BigInt(v as number));
    case 'DOUBLE':
      return nullSafe((v) => doubleToLong(v as number));
    case 'DECIMAL':
      return nullSafe((v) => decimalToLong(v as Decimal));
    case 'STRING':
      return nullSafe((v) => parseJavaLong((v as string).trim()));
    default:
      return IDENTITY;
  }
}

function toDouble(from: SqlType): ValueConverter {
  switch (from.kind) {
    case 'BIGINT':
      return nullSafe((v) => Number(v as bigint));
    case 'DECIMAL':
      return nullSafe((v) => (v as Decimal).toNumber());
    case 'STRING':
      return nullSafe((v) => parseJavaDouble(v as string));
    default:
      return IDENTITY;
  }
}

function toDecimal(from: SqlType, to: DecimalType): ValueConverter {
  switch (from.kind) {
    case 'INTEGER':
    case 'BIGINT':
      return nullSafe((v) => fitDecimalRounded(new Decimal(String(v)), to));
    case 'DOUBLE':
      // BigDecimal.valueOf(double) reads Double.toString's digits, which JavaScript also prints.
      return nullSafe((v) => {
        if (!Number.isFinite(v)) throw new ValueError(exprMessages.numberFormat(String(v)));
        return fitDecimalRounded(new Decimal(String(v)), to);
      });
    case 'DECIMAL':
      return nullSafe((v) => fitDecimalRounded(v as Decimal, to));
    case 'STRING':
      return nullSafe((v) => fitDecimalRounded(parseJavaBigDecimal((v as string).trim()), to));
    default:
      return IDENTITY;
  }
}
