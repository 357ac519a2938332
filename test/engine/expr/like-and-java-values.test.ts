/**
 * The LIKE pattern translation and the Java-compatible parsing, narrowing and printing that
 * CAST and list coercion use.
 */
import { describe, expect, it } from 'vitest';
import { arrayType, mapType, SqlTypes, struct } from '../../../engine/catalog/types.js';
import { Decimal, type SqlValue } from '../../../engine/catalog/values.js';
import {
  decimalToInt,
  decimalToLong,
  doubleToInt,
  doubleToLong,
  javaText,
  parseExactBoolean,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
  parseLenientBoolean,
} from '../../../engine/expr/java-values.js';
import { likeRegExp } from '../../../engine/expr/like.js';
import { canCoerce, coerceLiteral } from '../../../engine/expr/user-list.js';
import { structValue } from './expr-harness.js';

describe('LIKE patterns', () => {
  it.each([
    ['%foo%', 'barfoobaz', true],
    ['f_o', 'foo', true],
    ['f_o', 'fo', false],
    ['%oba%', 'foobar', true],
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['[a]', '[a]', true],
    ['a*', 'aaa', false],
    ['(x|y)', '(x|y)', true],
    ['^$', '^$', true],
    ['\\d', '\\d', true],
    ['_', '😀', true],
    ['%', '', true],
    ['%', 'line\nbreak', false],
  ] as const)('%s on %j is %s', (pattern, value, matches) => {
    expect(likeRegExp(pattern, undefined).test(value)).toBe(matches);
  });

  it.each([
    ['!%', '!', '%', true],
    ['!%', '!', 'x', false],
    ['a!_b', '!', 'a_b', true],
    ['a!_b', '!', 'axb', false],
    ['a!!b', '!', 'a!b', true],
    ['%$%%', '$', '100%', true],
    // With % as the escape character, %% is a literal % and % has no wildcard meaning left.
    ['x%%', '%', 'x%', true],
    ['x%%', '%', 'xy', false],
  ] as const)('%s ESCAPE %s on %j is %s', (pattern, escapeChar, value, matches) => {
    expect(likeRegExp(pattern, escapeChar).test(value)).toBe(matches);
  });

  it('rejects a pattern ending with the escape character', () => {
    expect(() => likeRegExp('abc!', '!')).toThrow('LIKE pattern must not end with escape character');
  });
});

describe('Java parsing and narrowing', () => {
  it('parses integers like Integer.parseInt and Long.parseLong', () => {
    expect(parseJavaInt('+42')).toBe(42);
    expect(parseJavaInt('-2147483648')).toBe(-2147483648);
    expect(() => parseJavaInt('2147483648')).toThrow('For input string: "2147483648"');
    expect(() => parseJavaInt('1.0')).toThrow();
    expect(() => parseJavaInt('')).toThrow();
    expect(parseJavaLong('9223372036854775807')).toBe(9223372036854775807n);
    expect(() => parseJavaLong('9223372036854775808')).toThrow();
  });

  it('parses doubles like Double.parseDouble', () => {
    expect(parseJavaDouble(' 1.5 ')).toBe(1.5);
    expect(parseJavaDouble('1e3')).toBe(1000);
    expect(parseJavaDouble('.5')).toBe(0.5);
    expect(parseJavaDouble('2d')).toBe(2);
    expect(parseJavaDouble('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseJavaDouble('NaN')).toBeNaN();
    expect(() => parseJavaDouble('1,5')).toThrow();
    expect(() => parseJavaDouble('abc')).toThrow();
  });

  it('narrows like Java casts and Number.intValue/longValue', () => {
    expect(doubleToInt(3.9)).toBe(3);
    expect(doubleToInt(-3.9)).toBe(-3);
    expect(doubleToInt(Number.NaN)).toBe(0);
    expect(doubleToInt(1e20)).toBe(2147483647);
    expect(doubleToInt(-1e20)).toBe(-2147483648);
    expect(doubleToLong(1e30)).toBe(9223372036854775807n);
    expect(doubleToLong(-2.5)).toBe(-2n);
    expect(decimalToLong(new Decimal('-7.9'))).toBe(-7n);
    expect(decimalToInt(new Decimal('4294967297.5'))).toBe(1);
  });

  it('reads booleans like SqlBooleans', () => {
    expect(parseLenientBoolean('TrUe')).toBe(true);
    expect(parseLenientBoolean('y')).toBe(true);
    expect(parseLenientBoolean('')).toBe(false);
    expect(parseLenientBoolean('nope')).toBe(false);
    expect(parseExactBoolean('tr')).toBe(true);
    expect(parseExactBoolean('N')).toBe(false);
    expect(parseExactBoolean('Not a boolean')).toBe(undefined);
  });

  it("prints values as Java's toString does", () => {
    expect(javaText(1e7, SqlTypes.DOUBLE)).toBe('1.0E7');
    expect(javaText(new Decimal('1.5'), { kind: 'DECIMAL', precision: 4, scale: 2 })).toBe('1.50');
    expect(javaText([1, null], arrayType(SqlTypes.INTEGER))).toBe('[1, null]');
    expect(
      javaText(
        new Map<SqlValue, SqlValue>([['k', [true]]]),
        mapType(SqlTypes.STRING, arrayType(SqlTypes.BOOLEAN)),
      ),
    ).toBe('{k=[true]}');
    expect(
      javaText(
        structValue({ A: 1, B: null, c: 'x' }),
        struct(['A', SqlTypes.INTEGER], ['B', SqlTypes.INTEGER], ['c', SqlTypes.STRING]),
      ),
    ).toBe('Struct{A=1,c=x}');
  });
});

describe("list coercion rules (ksqlDB's strict and lax coercers)", () => {
  it.each([
    ['INTEGER', 'BIGINT', 'strict', 'BIGINT'],
    ['BIGINT', 'INTEGER', 'strict', undefined],
    ['INTEGER', 'DOUBLE', 'strict', 'DOUBLE'],
    ['STRING', 'INTEGER', 'strict', undefined],
    ['STRING', 'INTEGER', 'lax', 'INTEGER'],
    ['BOOLEAN', 'STRING', 'strict', undefined],
    ['BOOLEAN', 'STRING', 'lax', 'STRING'],
    ['STRING', 'TIMESTAMP', 'strict', 'TIMESTAMP'],
    ['DOUBLE', 'STRING', 'lax', 'STRING'],
    ['BOOLEAN', 'INTEGER', 'lax', undefined],
  ] as const)('%s into %s (%s) gives %s', (from, to, strictness, expected) => {
    const type = (name: string) => SqlTypes[name as keyof typeof SqlTypes];
    expect(canCoerce(type(from), type(to), strictness)?.kind).toBe(expected);
  });

  it('widens decimals and combines struct fields', () => {
    expect(canCoerce(SqlTypes.INTEGER, { kind: 'DECIMAL', precision: 4, scale: 2 }, 'strict')).toEqual({
      kind: 'DECIMAL',
      precision: 12,
      scale: 2,
    });
    const merged = canCoerce(
      struct(['A', SqlTypes.INTEGER]),
      struct(['B', SqlTypes.STRING], ['A', SqlTypes.BIGINT]),
      'strict',
    );
    expect(merged).toEqual(struct(['A', SqlTypes.BIGINT], ['B', SqlTypes.STRING]));
  });

  it('converts literals the lax way', () => {
    expect(coerceLiteral(' 10 ', SqlTypes.STRING, SqlTypes.INTEGER)).toBe(10);
    expect(coerceLiteral('yes', SqlTypes.STRING, SqlTypes.BOOLEAN)).toBe(true);
    expect(coerceLiteral('maybe', SqlTypes.STRING, SqlTypes.BOOLEAN)).toBe(undefined);
    expect(coerceLiteral(2.5, SqlTypes.DOUBLE, SqlTypes.STRING)).toBe('2.5');
    expect(coerceLiteral(7, SqlTypes.INTEGER, SqlTypes.BIGINT)).toBe(7n);
    expect(coerceLiteral('1.005', SqlTypes.STRING, { kind: 'DECIMAL', precision: 4, scale: 2 })).toBe(
      undefined,
    );
  });
});
