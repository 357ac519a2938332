import { describe, expect, it } from 'vitest';
import { arrayType, decimalType, mapType, SqlTypes, struct } from '../../../engine/catalog/types.js';
import {
  type JsonNode,
  jsonToValue,
  parseJson,
  stringifyJson,
  valueToJson,
} from '../../../engine/catalog/value-json.js';
import { Decimal, type SqlValue, ValueError } from '../../../engine/catalog/values.js';

const read = (type: Parameters<typeof jsonToValue>[0], text: string): SqlValue =>
  jsonToValue(type, parseJson(text));
const write = (type: Parameters<typeof valueToJson>[0], value: SqlValue, style?: 'wire' | 'rest'): string =>
  stringifyJson(valueToJson(type, value, style));

describe('parseJson', () => {
  it('keeps numbers exact', () => {
    const node = parseJson('{"big": 9223372036854775807, "dec": 1.50, "exp": 1.2E9}') as Record<
      string,
      JsonNode
    >;
    expect(String(node.big)).toBe('9223372036854775807');
    expect(String(node.dec)).toBe('1.50');
    expect(String(node.exp)).toBe('1.2E9');
  });

  it('keeps the last of repeated keys', () => {
    expect(read(struct(['A', SqlTypes.INTEGER]), '{"A": 1, "A": 2}')).toEqual(
      Object.assign(Object.create(null), { A: 2 }),
    );
  });
});

describe('jsonToValue', () => {
  it('reads exact BIGINTs and DECIMALs', () => {
    expect(read(SqlTypes.BIGINT, '9223372036854775807')).toBe(9223372036854775807n);
    expect(read(SqlTypes.BIGINT, '-9223372036854775808')).toBe(-9223372036854775808n);
    const d = read(decimalType(21, 19), '10.1234512345123451234') as Decimal;
    expect(d.toFixed(19)).toBe('10.1234512345123451234');
  });

  it('coerces as ksqlDB JSON does', () => {
    expect(read(SqlTypes.STRING, '1')).toBe('1');
    expect(read(SqlTypes.STRING, '1.50')).toBe('1.50');
    expect(read(SqlTypes.STRING, 'true')).toBe('true');
    expect(read(SqlTypes.STRING, '{"a": [1, "x"]}')).toBe('{"a":[1,"x"]}');
    expect(read(SqlTypes.INTEGER, '"123"')).toBe(123);
    expect(read(SqlTypes.INTEGER, '12.9')).toBe(12);
    expect(read(SqlTypes.BIGINT, '" 42 "')).toBe(42n);
    expect(read(SqlTypes.DOUBLE, '"2.5"')).toBe(2.5);
    expect(read(SqlTypes.DOUBLE, '10')).toBe(10);
    expect((read(decimalType(4, 2), '"1.5"') as Decimal).toFixed(2)).toBe('1.50');
    expect(read(SqlTypes.BOOLEAN, '"TRUE"')).toBe(true);
    expect(read(arrayType(SqlTypes.STRING), '[1, 2, null]')).toEqual(['1', '2', null]);
  });

  it('reads time types and bytes in their wire forms', () => {
    expect(read(SqlTypes.DATE, '-10')).toBe(-10);
    expect(read(SqlTypes.TIME, '5000')).toBe(5000);
    expect(read(SqlTypes.TIMESTAMP, '1700000000000')).toBe(1_700_000_000_000);
    expect(Buffer.from(read(SqlTypes.BYTES, '"IQ=="') as Uint8Array)).toEqual(Buffer.from('!'));
  });

  it('matches struct fields ignoring case, exact names first', () => {
    const t = struct(['A', SqlTypes.INTEGER], ['b', SqlTypes.STRING], ['C', SqlTypes.BOOLEAN]);
    expect({ ...(read(t, '{"a": 1, "B": "x"}') as object) }).toEqual({ A: 1, b: 'x', C: null });
    expect({ ...(read(t, '{"b": "exact", "B": "other"}') as object) }).toMatchObject({ b: 'exact' });
  });

  it('reads maps with their key type', () => {
    const m = read(mapType(SqlTypes.STRING, SqlTypes.INTEGER), '{"a": 1, "b": null}');
    expect(m).toEqual(
      new Map<SqlValue, SqlValue>([
        ['a', 1],
        ['b', null],
      ]),
    );
    expect(read(mapType(SqlTypes.INTEGER, SqlTypes.STRING), '{"7": "x"}')).toEqual(new Map([[7, 'x']]));
  });

  it('fails clearly on values it cannot convert', () => {
    expect(() => read(SqlTypes.INTEGER, '"abc"')).toThrow(
      "Can't coerce string to type. targetType: INTEGER, path: $",
    );
    expect(() => read(SqlTypes.INTEGER, 'true')).toThrow(
      "Can't convert type. sourceType: BooleanNode, requiredType: INTEGER, path: $",
    );
    expect(() => read(SqlTypes.INTEGER, '2147483648')).toThrow(ValueError);
    expect(() => read(SqlTypes.BIGINT, '9223372036854775808')).toThrow(/out of range/);
    expect(() => read(arrayType(SqlTypes.INTEGER), '{"a": 1}')).toThrow(
      /sourceType: ObjectNode, requiredType: ARRAY<INTEGER>/,
    );
    expect(() => read(struct(['A', arrayType(SqlTypes.INTEGER)]), '{"A": [1, "x"]}')).toThrow(
      /path: \$\.A\[1\]/,
    );
    expect(() => read(decimalType(4, 2), '1.005')).toThrow(/without rounding/);
    expect(() => read(SqlTypes.BYTES, '"not base64!"')).toThrow(/base64/);
    expect(() => read(SqlTypes.BOOLEAN, '1')).toThrow(/requiredType: BOOLEAN/);
  });
});

describe('valueToJson', () => {
  it('writes numbers exactly and at their scale', () => {
    expect(write(SqlTypes.BIGINT, 9223372036854775807n)).toBe('9223372036854775807');
    expect(write(SqlTypes.INTEGER, -5)).toBe('-5');
    expect(write(decimalType(6, 4), new Decimal('10'))).toBe('10.0000');
    expect(write(SqlTypes.DOUBLE, 10)).toBe('10.0');
    expect(write(SqlTypes.DOUBLE, 1e10)).toBe('1.0E10');
    expect(write(SqlTypes.DOUBLE, Number.NaN)).toBe('"NaN"');
  });

  it('writes time types as numbers on the wire and as text for REST', () => {
    expect(write(SqlTypes.DATE, 10)).toBe('10');
    expect(write(SqlTypes.DATE, 10, 'rest')).toBe('"1970-01-11"');
    expect(write(SqlTypes.TIME, 5000, 'rest')).toBe('"00:00:05"');
    expect(write(SqlTypes.TIMESTAMP, 0)).toBe('0');
    expect(write(SqlTypes.TIMESTAMP, 0, 'rest')).toBe('"1970-01-01T00:00:00.000"');
  });

  it('writes bytes, collections and structs', () => {
    expect(write(SqlTypes.BYTES, Buffer.from('!'))).toBe('"IQ=="');
    expect(write(arrayType(SqlTypes.BIGINT), [12n, null])).toBe('[12,null]');
    expect(write(mapType(SqlTypes.STRING, SqlTypes.DOUBLE), new Map([['a', 1.1]]))).toBe('{"a":1.1}');
    const t = struct(['B', SqlTypes.STRING], ['A', SqlTypes.INTEGER]);
    expect(write(t, Object.assign(Object.create(null), { A: 1, B: null }))).toBe('{"B":null,"A":1}');
    expect(write(SqlTypes.STRING, 'quote " and \n')).toBe('"quote \\" and \\n"');
  });

  it('round-trips every type', () => {
    const t = struct(
      ['BOOL', SqlTypes.BOOLEAN],
      ['I', SqlTypes.INTEGER],
      ['L', SqlTypes.BIGINT],
      ['D', SqlTypes.DOUBLE],
      ['DEC', decimalType(38, 10)],
      ['S', SqlTypes.STRING],
      ['BY', SqlTypes.BYTES],
      ['DT', SqlTypes.DATE],
      ['TM', SqlTypes.TIME],
      ['TS', SqlTypes.TIMESTAMP],
      ['ARR', arrayType(mapType(SqlTypes.STRING, struct(['X', SqlTypes.BIGINT])))],
    );
    const value = Object.assign(Object.create(null), {
      BOOL: false,
      I: 2147483647,
      L: -9223372036854775808n,
      D: 0.1,
      DEC: new Decimal('1234567890123456789012345678.0123456789'),
      S: 'ünïcödé ☃',
      BY: Buffer.from([0, 255, 128]),
      DT: -719162,
      TM: 86_399_999,
      TS: 253_402_300_799_999,
      ARR: [new Map([['k', Object.assign(Object.create(null), { X: 5n })]]), null],
    });
    const text = write(t, value);
    expect(read(t, text)).toEqual(value);
    expect(write(t, read(t, text))).toBe(text);
  });
});
