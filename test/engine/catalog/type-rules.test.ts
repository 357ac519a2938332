import { describe, expect, it } from 'vitest';
import {
  arithmeticResultType,
  canCast,
  canImplicitlyCast,
  castNotSupportedMessage,
  commonSuperType,
  commonSuperTypeOf,
  decimalArithmeticType,
  isValidComparison,
  widenDecimal,
} from '../../../engine/catalog/type-rules.js';
import {
  arrayType,
  decimalType,
  formatType,
  mapType,
  type SqlType,
  SqlTypes,
  struct,
} from '../../../engine/catalog/types.js';

const { BOOLEAN, INTEGER, BIGINT, DOUBLE, STRING, BYTES, DATE, TIME, TIMESTAMP } = SqlTypes;
const dec = decimalType;

function fmt(t: SqlType | undefined | null): string | undefined | null {
  return t ? formatType(t) : t;
}

describe('implicit casts', () => {
  it('widens numbers along INTEGER -> BIGINT -> DECIMAL -> DOUBLE', () => {
    const order = [INTEGER, BIGINT, dec(10, 2), DOUBLE];
    for (const [i, from] of order.entries()) {
      for (const [j, to] of order.entries()) {
        expect(canImplicitlyCast(from, to), `${fmt(from)} -> ${fmt(to)}`).toBe(i <= j);
      }
    }
  });

  it('widens a DECIMAL only into one with as many integer digits and as much scale', () => {
    expect(canImplicitlyCast(dec(4, 2), dec(5, 2))).toBe(true);
    expect(canImplicitlyCast(dec(4, 2), dec(5, 3))).toBe(true);
    expect(canImplicitlyCast(dec(4, 2), dec(4, 3))).toBe(false); // 2 integer digits -> 1
    expect(canImplicitlyCast(dec(4, 2), dec(4, 1))).toBe(false); // scale 2 -> 1
  });

  it('never casts implicitly between unrelated types', () => {
    for (const [from, to] of [
      [STRING, INTEGER],
      [INTEGER, STRING],
      [BOOLEAN, INTEGER],
      [DATE, TIMESTAMP],
      [STRING, BYTES],
      [DOUBLE, BIGINT],
    ] as const) {
      expect(canImplicitlyCast(from, to), `${fmt(from)} -> ${fmt(to)}`).toBe(false);
    }
  });

  it('casts collections and structs element-wise', () => {
    expect(canImplicitlyCast(arrayType(INTEGER), arrayType(BIGINT))).toBe(true);
    expect(canImplicitlyCast(arrayType(BIGINT), arrayType(INTEGER))).toBe(false);
    expect(canImplicitlyCast(mapType(STRING, INTEGER), mapType(STRING, DOUBLE))).toBe(true);
    expect(canImplicitlyCast(mapType(STRING, INTEGER), mapType(INTEGER, INTEGER))).toBe(false);
    expect(canImplicitlyCast(struct(['F0', INTEGER]), struct(['F0', BIGINT]))).toBe(true);
    expect(canImplicitlyCast(struct(['F0', BIGINT]), struct(['F0', BOOLEAN]))).toBe(false);
    // Fields only one side has do not matter.
    expect(canImplicitlyCast(struct(['A', INTEGER], ['B', STRING]), struct(['A', BIGINT], ['C', DATE]))).toBe(
      true,
    );
  });
});

describe('common super type', () => {
  it('widens numbers', () => {
    expect(fmt(commonSuperType(INTEGER, BIGINT))).toBe('BIGINT');
    expect(fmt(commonSuperType(BIGINT, INTEGER))).toBe('BIGINT');
    expect(fmt(commonSuperType(INTEGER, DOUBLE))).toBe('DOUBLE');
    expect(fmt(commonSuperType(dec(4, 2), DOUBLE))).toBe('DOUBLE');
    // greatest.json: GREATEST(DECIMAL(9,2), DECIMAL(7,6)) is DECIMAL(13,6).
    expect(fmt(commonSuperType(dec(9, 2), dec(7, 6)))).toBe('DECIMAL(13, 6)');
    // INTEGER holds 10 digits, BIGINT 19.
    expect(fmt(commonSuperType(INTEGER, dec(4, 2)))).toBe('DECIMAL(12, 2)');
    expect(fmt(commonSuperType(dec(4, 2), BIGINT))).toBe('DECIMAL(21, 2)');
  });

  it('combines collections and structs', () => {
    expect(fmt(commonSuperType(arrayType(INTEGER), arrayType(BIGINT)))).toBe('ARRAY<BIGINT>');
    expect(fmt(commonSuperType(mapType(STRING, INTEGER), mapType(STRING, dec(3, 1))))).toBe(
      'MAP<STRING, DECIMAL(11, 1)>',
    );
    expect(fmt(commonSuperType(struct(['F0', BIGINT]), struct(['F0', INTEGER])))).toBe('STRUCT<`F0` BIGINT>');
    expect(fmt(commonSuperType(struct(['A', INTEGER]), struct(['B', STRING], ['A', DOUBLE])))).toBe(
      'STRUCT<`A` DOUBLE, `B` STRING>',
    );
  });

  it('has none for unrelated types', () => {
    expect(commonSuperType(INTEGER, STRING)).toBeUndefined();
    expect(commonSuperType(BOOLEAN, INTEGER)).toBeUndefined();
    expect(commonSuperType(arrayType(BIGINT), arrayType(BOOLEAN))).toBeUndefined();
    expect(commonSuperType(struct(['F0', BIGINT]), struct(['F0', BOOLEAN]))).toBeUndefined();
    expect(commonSuperType(DATE, TIMESTAMP)).toBeUndefined();
  });

  it('skips NULL literals in a list and reports the first misfit', () => {
    // create_array.json: ARRAY[null, 10, a INT, b BIGINT] joined with a decimal literal type.
    expect(commonSuperTypeOf([null, INTEGER, INTEGER, BIGINT])).toEqual({ ok: true, type: BIGINT });
    const withDecimal = commonSuperTypeOf([null, INTEGER, dec(2, 0), INTEGER, BIGINT]);
    expect(withDecimal.ok && fmt(withDecimal.type)).toBe('DECIMAL(19, 0)');
    expect(commonSuperTypeOf([null, null])).toEqual({ ok: true, type: null });
    expect(commonSuperTypeOf([])).toEqual({ ok: true, type: null });
    expect(commonSuperTypeOf([INTEGER, null, STRING, BOOLEAN])).toEqual({ ok: false, index: 2 });
  });

  it('widens decimals by integer digits and scale', () => {
    expect(fmt(widenDecimal(dec(5, 1), dec(3, 3)))).toBe('DECIMAL(7, 3)');
    expect(fmt(widenDecimal(INTEGER, BIGINT))).toBe('DECIMAL(19, 0)');
    expect(() => widenDecimal(DOUBLE, INTEGER)).toThrow('Cannot convert DOUBLE to DECIMAL.');
  });
});

describe('arithmetic result types', () => {
  // Expected values worked out by hand from SQL Server's rules:
  //   + -  : s = max(s1, s2), p = s + max(p1 - s1, p2 - s2) + 1
  //   *    : p = p1 + p2 + 1, s = s1 + s2
  //   /    : s = max(6, s1 + p2 + 1), p = p1 - s1 + s2 + s
  //   %    : s = max(s1, s2), p = min(p1 - s1, p2 - s2) + s
  const cases: [string, SqlType, '+' | '-' | '*' | '/' | '%', SqlType, string][] = [
    ['dec + dec', dec(4, 2), '+', dec(4, 2), 'DECIMAL(5, 2)'],
    ['dec - dec, different shapes', dec(10, 2), '-', dec(5, 4), 'DECIMAL(13, 4)'],
    ['dec * dec', dec(4, 2), '*', dec(3, 1), 'DECIMAL(8, 3)'],
    ['dec / dec', dec(4, 2), '/', dec(4, 2), 'DECIMAL(11, 7)'],
    ['dec / dec, minimum scale 6', dec(2, 1), '/', dec(2, 1), 'DECIMAL(8, 6)'],
    ['dec % dec', dec(4, 2), '%', dec(3, 1), 'DECIMAL(4, 2)'],
    ['int + dec', INTEGER, '+', dec(4, 2), 'DECIMAL(13, 2)'],
    ['bigint * dec', BIGINT, '*', dec(2, 1), 'DECIMAL(22, 1)'],
    ['dec / int', dec(5, 2), '/', INTEGER, 'DECIMAL(16, 13)'],
    ['int + int', INTEGER, '+', INTEGER, 'INTEGER'],
    ['int * bigint', INTEGER, '*', BIGINT, 'BIGINT'],
    ['bigint % int', BIGINT, '%', INTEGER, 'BIGINT'],
    ['int / double', INTEGER, '/', DOUBLE, 'DOUBLE'],
    ['dec + double', dec(4, 2), '+', DOUBLE, 'DOUBLE'],
    ['string + string', STRING, '+', STRING, 'STRING'],
  ];
  it.each(cases)('%s', (_name, left, op, right, expected) => {
    expect(formatType(arithmeticResultType(op, left, right))).toBe(expected);
  });

  it('matches decimalArithmeticType for decimals', () => {
    expect(decimalArithmeticType('*', dec(38, 10), dec(38, 10))).toEqual(dec(77, 20));
  });

  it('refuses non-numbers with ksqlDB messages', () => {
    expect(() => arithmeticResultType('+', BOOLEAN, dec(2, 1))).toThrow(
      'Unsupported arithmetic types. BOOLEAN DECIMAL',
    );
    expect(() => arithmeticResultType('-', STRING, STRING)).toThrow(
      'Unsupported arithmetic types. STRING STRING',
    );
    expect(() => arithmeticResultType('+', DATE, INTEGER)).toThrow(
      'Unsupported arithmetic types. DATE INTEGER',
    );
    expect(() => arithmeticResultType('/', dec(2, 1), null)).toThrow(
      'Arithmetic on types DECIMAL(2, 1) and null are not supported.',
    );
  });
});

describe('explicit casts', () => {
  const all: SqlType[] = [BOOLEAN, INTEGER, BIGINT, DOUBLE, dec(4, 2), STRING, BYTES, DATE, TIME, TIMESTAMP];
  // Rows: from; columns: to, in the order of `all`. From ksqlDB's CAST documentation.
  const allowed: Record<string, string> = {
    BOOLEAN: 'B....S....',
    INTEGER: '.IBDdS....',
    BIGINT: '.IBDdS....',
    DOUBLE: '.IBDdS....',
    'DECIMAL(4, 2)': '.IBDdS....',
    STRING: 'BIBDdS.dtT',
    BYTES: '......b...',
    DATE: '.....S.d.T',
    TIME: '.....S..t.',
    TIMESTAMP: '.....S.dtT',
  };
  it.each(all)('from %o', (from) => {
    const row = allowed[formatType(from)]!;
    all.forEach((to, i) => {
      expect(canCast(from, to), `${formatType(from)} -> ${formatType(to)}`).toBe(row[i] !== '.');
    });
  });

  it('casts collections and structs element-wise', () => {
    expect(canCast(arrayType(BIGINT), arrayType(INTEGER))).toBe(true);
    expect(canCast(arrayType(arrayType(BIGINT)), arrayType(arrayType(STRING)))).toBe(true);
    expect(canCast(mapType(STRING, mapType(STRING, STRING)), mapType(STRING, mapType(STRING, INTEGER)))).toBe(
      true,
    );
    expect(canCast(arrayType(BYTES), arrayType(STRING))).toBe(false);
    expect(canCast(mapType(STRING, INTEGER), STRING)).toBe(true);
    expect(canCast(struct(['A', INTEGER]), STRING)).toBe(true);
    expect(canCast(STRING, arrayType(INTEGER))).toBe(false);
    expect(canCast(struct(['A', INTEGER]), struct(['A', STRING], ['B', INTEGER]))).toBe(true);
  });

  it('words the refusal as ksqlDB does', () => {
    expect(castNotSupportedMessage(STRING, struct(['F0', STRING], ['F1', INTEGER]))).toBe(
      'Cast of STRING to STRUCT<`F0` STRING, `F1` INTEGER> is not supported',
    );
  });
});

describe('comparisons', () => {
  it('allows numbers with numbers only', () => {
    expect(isValidComparison(INTEGER, 'GREATER_THAN', dec(4, 2))).toBe(true);
    expect(isValidComparison(DOUBLE, 'EQUAL', BIGINT)).toBe(true);
    expect(isValidComparison(INTEGER, 'GREATER_THAN_OR_EQUAL', STRING)).toBe(false);
    expect(isValidComparison(STRING, 'EQUAL', INTEGER)).toBe(false);
  });

  it('allows time types with each other and with strings', () => {
    expect(isValidComparison(DATE, 'GREATER_THAN', TIMESTAMP)).toBe(true);
    expect(isValidComparison(TIMESTAMP, 'LESS_THAN', STRING)).toBe(true);
    expect(isValidComparison(STRING, 'EQUAL', TIME)).toBe(true);
    expect(isValidComparison(TIME, 'EQUAL', TIMESTAMP)).toBe(false);
    expect(isValidComparison(DATE, 'EQUAL', BIGINT)).toBe(false);
  });

  it('allows booleans and structured types only for equality', () => {
    expect(isValidComparison(BOOLEAN, 'EQUAL', BOOLEAN)).toBe(true);
    expect(isValidComparison(BOOLEAN, 'IS_DISTINCT_FROM', BOOLEAN)).toBe(true);
    expect(isValidComparison(BOOLEAN, 'LESS_THAN', BOOLEAN)).toBe(false);
    expect(isValidComparison(arrayType(INTEGER), 'EQUAL', arrayType(BIGINT))).toBe(true);
    expect(isValidComparison(arrayType(INTEGER), 'LESS_THAN', arrayType(INTEGER))).toBe(false);
    expect(isValidComparison(arrayType(BIGINT), 'EQUAL', arrayType(BOOLEAN))).toBe(false);
    expect(isValidComparison(BYTES, 'LESS_THAN', BYTES)).toBe(true);
    expect(isValidComparison(BYTES, 'EQUAL', STRING)).toBe(false);
  });
});
