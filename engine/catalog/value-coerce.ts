/**
 * Implicit widening of runtime values (see type-rules.ts `canImplicitlyCast`): what the
 * runtime applies when an INTEGER meets a BIGINT in a comparison, a GROUP BY key flows into a
 * wider sink column, or an ARRAY<INTEGER> joins an ARRAY<BIGINT> in a CASE.
 */
import { catalogMessages } from './messages.js';
import { canImplicitlyCast } from './type-rules.js';
import type { SqlType } from './types.js';
import { formatType } from './types.js';
import { Decimal, fitDecimalExact, isDecimal, type SqlStruct, type SqlValue, ValueError } from './values.js';

/** `value` of type `from` as a value of the wider type `to`. Throws ValueError if not widening. */
export function coerceValue(value: SqlValue, from: SqlType, to: SqlType): SqlValue {
  if (value === null || from === to) return value;
  if (!canImplicitlyCast(from, to)) {
    throw new ValueError(catalogMessages.cannotImplicitlyCast(formatType(from), formatType(to)));
  }
  switch (to.kind) {
    case 'BIGINT':
      return typeof value === 'bigint' ? value : BigInt(value as number);
    case 'DECIMAL': {
      const decimal = isDecimal(value) ? value : new Decimal(String(value));
      return fitDecimalExact(decimal, to);
    }
    case 'DOUBLE':
      return isDecimal(value) ? value.toNumber() : Number(value);
    case 'ARRAY': {
      const element = (from as Extract<SqlType, { kind: 'ARRAY' }>).element;
      return (value as readonly SqlValue[]).map((v) => coerceValue(v, element, to.element));
    }
    case 'MAP': {
      const source = from as Extract<SqlType, { kind: 'MAP' }>;
      const map = new Map<SqlValue, SqlValue>();
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        map.set(coerceValue(k, source.key, to.key), coerceValue(v, source.value, to.value));
      }
      return map;
    }
    case 'STRUCT': {
      const source = from as Extract<SqlType, { kind: 'STRUCT' }>;
      const struct = value as SqlStruct;
      const result: Record<string, SqlValue> = Object.create(null);
      for (const field of to.fields) {
        const sourceField = source.fields.find((f) => f.name === field.name);
        result[field.name] =
          sourceField === undefined
            ? null
            : coerceValue(struct[field.name] ?? null, sourceField.type, field.type);
      }
      return result;
    }
    default:
      return value;
  }
}
