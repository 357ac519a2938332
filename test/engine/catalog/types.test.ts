import { describe, expect, it } from 'vitest';
import {
  arrayType,
  containsMap,
  decimalType,
  formatType,
  mapType,
  primitiveType,
  SqlTypeError,
  SqlTypes,
  struct,
  structType,
  typesEqual,
} from '../../../engine/catalog/types.js';

describe('SQL types', () => {
  it('prints types as ksqlDB does', () => {
    expect(formatType(SqlTypes.INTEGER)).toBe('INTEGER');
    expect(formatType(SqlTypes.STRING)).toBe('STRING');
    expect(formatType(decimalType(4, 2))).toBe('DECIMAL(4, 2)');
    expect(formatType(arrayType(SqlTypes.BIGINT))).toBe('ARRAY<BIGINT>');
    expect(formatType(mapType(SqlTypes.STRING, SqlTypes.INTEGER))).toBe('MAP<STRING, INTEGER>');
    expect(formatType(struct(['A', SqlTypes.INTEGER], ['B', SqlTypes.STRING]))).toBe(
      'STRUCT<`A` INTEGER, `B` STRING>',
    );
    // From ksqlDB's own message: "Column type: STRUCT<`F1` MAP<STRING, INTEGER>>".
    expect(formatType(struct(['F1', mapType(SqlTypes.STRING, SqlTypes.INTEGER)]))).toBe(
      'STRUCT<`F1` MAP<STRING, INTEGER>>',
    );
    expect(formatType(arrayType(mapType(SqlTypes.INTEGER, SqlTypes.DOUBLE)))).toBe(
      'ARRAY<MAP<INTEGER, DOUBLE>>',
    );
    expect(formatType(structType([]))).toBe('STRUCT<>');
  });

  it('can leave struct field names unquoted', () => {
    const t = struct(['A', SqlTypes.INTEGER], ['b', struct(['C', SqlTypes.DATE])]);
    expect(formatType(t, { quoteField: () => false })).toBe('STRUCT<A INTEGER, b STRUCT<C DATE>>');
    expect(formatType(t, { quoteField: (n) => n !== n.toUpperCase() })).toBe(
      'STRUCT<A INTEGER, `b` STRUCT<C DATE>>',
    );
  });

  it('escapes back-quotes in field names', () => {
    expect(formatType(struct(['a`b', SqlTypes.BOOLEAN]))).toBe('STRUCT<`a``b` BOOLEAN>');
  });

  it('validates DECIMAL parameters with ksqlDB messages', () => {
    expect(() => decimalType(0, 0)).toThrow('DECIMAL precision must be >= 1: DECIMAL(0,0)');
    expect(() => decimalType(2, -1)).toThrow('DECIMAL scale must be >= 0: DECIMAL(2,-1)');
    expect(() => decimalType(2, 3)).toThrow('DECIMAL precision must be >= scale: DECIMAL(2,3)');
    expect(() => decimalType(2, 3)).toThrow(SqlTypeError);
    // ksqlDB has no upper bound: its tests declare DECIMAL(50, 30).
    expect(decimalType(50, 30)).toEqual({ kind: 'DECIMAL', precision: 50, scale: 30 });
    expect(decimalType(1, 1).scale).toBe(1);
  });

  it('rejects duplicate and empty struct field names', () => {
    expect(() => struct(['A', SqlTypes.INTEGER], ['A', SqlTypes.STRING])).toThrow(/Duplicate field names/);
    expect(() => struct(['', SqlTypes.INTEGER])).toThrow(SqlTypeError);
    // Case-sensitive: A and a are different fields.
    expect(struct(['A', SqlTypes.INTEGER], ['a', SqlTypes.STRING]).fields).toHaveLength(2);
  });

  it('freezes types', () => {
    const t = struct(['A', arrayType(SqlTypes.INTEGER)]);
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.fields)).toBe(true);
    expect(Object.isFrozen(t.fields[0])).toBe(true);
    expect(Object.isFrozen(SqlTypes.BIGINT)).toBe(true);
  });

  it('compares types structurally', () => {
    expect(typesEqual(decimalType(4, 2), decimalType(4, 2))).toBe(true);
    expect(typesEqual(decimalType(4, 2), decimalType(4, 1))).toBe(false);
    expect(typesEqual(arrayType(SqlTypes.INTEGER), arrayType(SqlTypes.INTEGER))).toBe(true);
    expect(typesEqual(arrayType(SqlTypes.INTEGER), arrayType(SqlTypes.BIGINT))).toBe(false);
    expect(
      typesEqual(mapType(SqlTypes.STRING, SqlTypes.INTEGER), mapType(SqlTypes.STRING, SqlTypes.INTEGER)),
    ).toBe(true);
    expect(typesEqual(struct(['A', SqlTypes.INTEGER]), struct(['A', SqlTypes.INTEGER]))).toBe(true);
    expect(typesEqual(struct(['A', SqlTypes.INTEGER]), struct(['a', SqlTypes.INTEGER]))).toBe(false);
    expect(
      typesEqual(
        struct(['A', SqlTypes.INTEGER], ['B', SqlTypes.INTEGER]),
        struct(['B', SqlTypes.INTEGER], ['A', SqlTypes.INTEGER]),
      ),
    ).toBe(false);
    expect(typesEqual(SqlTypes.DATE, SqlTypes.TIMESTAMP)).toBe(false);
  });

  it('resolves primitive names and aliases', () => {
    expect(primitiveType('int')).toBe(SqlTypes.INTEGER);
    expect(primitiveType('VARCHAR')).toBe(SqlTypes.STRING);
    expect(primitiveType('Timestamp')).toBe(SqlTypes.TIMESTAMP);
    expect(primitiveType('DECIMAL')).toBeUndefined();
    expect(primitiveType('FLOAT')).toBeUndefined();
  });

  it('finds maps nested in a type', () => {
    expect(containsMap(mapType(SqlTypes.STRING, SqlTypes.INTEGER))).toBe(true);
    expect(containsMap(arrayType(mapType(SqlTypes.INTEGER, SqlTypes.DOUBLE)))).toBe(true);
    expect(containsMap(struct(['F', mapType(SqlTypes.STRING, SqlTypes.STRING)]))).toBe(true);
    expect(containsMap(struct(['F', arrayType(SqlTypes.STRING)]))).toBe(false);
  });
});
