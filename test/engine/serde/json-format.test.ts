import { describe, expect, it } from 'vitest';
import { arrayType, decimalType, mapType, SqlTypes, struct } from '../../../engine/catalog/types.js';
import { Decimal, type SqlValue } from '../../../engine/catalog/values.js';
import { FormatConfigError, FormatSchemaError, SerdeError } from '../../../engine/serde/errors.js';
import type { PersistedColumn, SerdeOptions, SerdeTarget } from '../../../engine/serde/format.js';
import { JsonFormat } from '../../../engine/serde/json-format.js';

const serde = (columns: PersistedColumn[], target: SerdeTarget = 'VALUE', options: SerdeOptions = {}) =>
  JsonFormat.serde(columns, target, options);
const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));
const bytes = (s: string) => Buffer.from(s, 'utf8');
const plain = (v: SqlValue) => (v !== null && typeof v === 'object' ? { ...(v as object) } : v);

describe('JSON values', () => {
  const columns: PersistedColumn[] = [
    { name: 'ID', type: SqlTypes.BIGINT },
    { name: 'NAME', type: SqlTypes.STRING },
  ];

  it('reads object fields ignoring case and writes column names', () => {
    const s = serde(columns);
    expect(s.deserialize(bytes('{"id": 1, "Name": "a", "other": true}'))).toEqual([1n, 'a']);
    expect(s.deserialize(bytes('{"NAME": "only"}'))).toEqual([null, 'only']);
    expect(text(s.serialize([1n, 'a']))).toBe('{"ID":1,"NAME":"a"}');
    expect(text(s.serialize([null, null]))).toBe('{"ID":null,"NAME":null}');
  });

  it('treats null bytes and the JSON null as a null row', () => {
    const s = serde(columns);
    expect(s.deserialize(null)).toBeNull();
    expect(s.deserialize(bytes('null'))).toBeNull();
    expect(s.serialize(null)).toBeNull();
  });

  it('reads and writes a bare single value with WRAP_SINGLE_VALUE=false (json.json)', () => {
    const s = serde([{ name: 'V', type: SqlTypes.INTEGER }], 'VALUE', { wrapSingleValue: false });
    expect(s.deserialize(bytes('10'))).toEqual([10]);
    expect(text(s.serialize([123]))).toBe('123');
    expect(s.serialize([null])).toBeNull();
    const arr = serde([{ name: 'FOO', type: arrayType(SqlTypes.STRING) }], 'VALUE', {
      wrapSingleValue: false,
    });
    expect(arr.deserialize(bytes('[1, 2, 3]'))).toEqual([['1', '2', '3']]);
    const st = serde([{ name: 'V', type: struct(['A', SqlTypes.DOUBLE]) }], 'VALUE', {
      wrapSingleValue: false,
    });
    expect(plain(st.deserialize(bytes('{"a": 45.67}'))![0]!)).toEqual({ A: 45.67 });
    expect(text(st.serialize(st.deserialize(bytes('{"a": 76.54}'))))).toBe('{"A":76.54}');
  });

  it('takes the configured default wrapping without judging it', () => {
    const single = serde([{ name: 'FOO', type: SqlTypes.STRING }], 'VALUE', {
      defaultWrapSingleValue: false,
    });
    expect(text(single.serialize(['bar']))).toBe('"bar"');
    const explicit = serde([{ name: 'FOO', type: SqlTypes.STRING }], 'VALUE', {
      defaultWrapSingleValue: false,
      wrapSingleValue: true,
    });
    expect(text(explicit.serialize(['bar']))).toBe('{"FOO":"bar"}');
    // serdes.json: with the config off, a two-column value is still an object, and no error.
    const two = serde(
      [
        { name: 'FOO', type: SqlTypes.STRING },
        { name: 'FOO2', type: SqlTypes.STRING },
      ],
      'VALUE',
      { defaultWrapSingleValue: false },
    );
    expect(text(two.serialize(['bar', 'blar']))).toBe('{"FOO":"bar","FOO2":"blar"}');
  });

  it('wraps a single value by default', () => {
    const s = serde([{ name: 'FOO', type: SqlTypes.BOOLEAN }]);
    expect(text(s.serialize([true]))).toBe('{"FOO":true}');
    expect(s.deserialize(bytes('{"FOO": null}'))).toEqual([null]);
    expect(() => s.deserialize(bytes('true'))).toThrow(SerdeError);
  });

  it('keeps decimals exact, at the column scale', () => {
    const s = serde([{ name: 'DEC', type: decimalType(6, 4) }]);
    expect(text(s.serialize(s.deserialize(bytes('{"DEC": 10}'))))).toBe('{"DEC":10.0000}');
    expect(text(s.serialize(s.deserialize(bytes('{"DEC": 0.0001}'))))).toBe('{"DEC":0.0001}');
    expect(s.deserialize(bytes('{"DEC": 12.365}'))).toEqual([new Decimal('12.365')]);
    expect(() => s.deserialize(bytes('{"DEC": 0.00001}'))).toThrow(/without rounding/);
  });

  it('keeps numbers exact whichever parser reads them', () => {
    const s = serde([
      { name: 'L', type: SqlTypes.BIGINT },
      { name: 'S', type: SqlTypes.STRING },
      { name: 'D', type: decimalType(30, 20) },
    ]);
    // Past 2^53: only the lossless parser keeps the digits.
    expect(s.deserialize(bytes('{"L": 9007199254740993}'))).toEqual([9007199254740993n, null, null]);
    expect(s.deserialize(bytes('{"L": -9223372036854775808}'))?.[0]).toBe(-9223372036854775808n);
    // A number read into a STRING keeps its text, trailing zeros included.
    expect(s.deserialize(bytes('{"L": 1, "S": 1.50}'))).toEqual([1n, '1.50', null]);
    expect(s.deserialize(bytes('{"S": {"a": 2.50, "b": [1E3]}}'))?.[1]).toBe('{"a":2.50,"b":[1E3]}');
    // Sixteen or more significant digits.
    expect((s.deserialize(bytes('{"D": 1234567890.12345678901234567890}'))![2] as Decimal).toFixed(20)).toBe(
      '1234567890.12345678901234567890',
    );
    expect((s.deserialize(bytes('{"D": 0.1}'))![2] as Decimal).toFixed(20)).toBe('0.10000000000000000000');
    expect(() => s.deserialize(bytes('{"D": 0.100000000000000000001}'))).toThrow(/without rounding/);
    // An exponent can hide digits a double loses entirely.
    expect(() => s.deserialize(bytes('{"D": 1e-400}'))).toThrow(/without rounding/);
    expect((s.deserialize(bytes('{"D": 1.5E3}'))![2] as Decimal).toFixed(1)).toBe('1500.0');
  });

  it('writes every type in its JSON form', () => {
    const s = serde([
      { name: 'D', type: SqlTypes.DOUBLE },
      { name: 'B', type: SqlTypes.BYTES },
      { name: 'DT', type: SqlTypes.DATE },
      { name: 'TM', type: SqlTypes.TIME },
      { name: 'TS', type: SqlTypes.TIMESTAMP },
      { name: 'M', type: mapType(SqlTypes.STRING, SqlTypes.DOUBLE) },
    ]);
    const row: SqlValue[] = [3, Buffer.from('!'), -10, 10, 1_000, new Map([['a', 1.1]])];
    expect(text(s.serialize(row))).toBe('{"D":3.0,"B":"IQ==","DT":-10,"TM":10,"TS":1000,"M":{"a":1.1}}');
    expect(s.deserialize(s.serialize(row))).toEqual(row);
  });

  it('reports bad records as SerdeError', () => {
    const s = serde(columns);
    expect(() => s.deserialize(bytes('{"ID": '))).toThrow(SerdeError);
    expect(() => s.deserialize(bytes(''))).toThrow(SerdeError);
    expect(() => s.deserialize(Buffer.from([0xff]))).toThrow(SerdeError);
    expect(() => s.deserialize(bytes('{"ID": "x"}'))).toThrow(
      /Can't coerce string to type. targetType: BIGINT, path: \$\.ID/,
    );
    expect(() => s.deserialize(bytes('[1]'))).toThrow(/sourceType: ArrayNode/);
  });
});

describe('JSON keys', () => {
  it('keeps a single key bare (json.json)', () => {
    const s = serde([{ name: 'K', type: SqlTypes.BIGINT }], 'KEY');
    expect(s.deserialize(bytes('998877665544332211'))).toEqual([998877665544332211n]);
    expect(text(s.serialize([998877665544332211n]))).toBe('998877665544332211');
    expect(s.serialize([null])).toBeNull();
    const d = serde([{ name: 'K', type: SqlTypes.DOUBLE }], 'KEY');
    expect(text(d.serialize(d.deserialize(bytes('654.321'))))).toBe('654.321');
    const a = serde([{ name: 'K', type: arrayType(SqlTypes.DOUBLE) }], 'KEY');
    expect(text(a.serialize(a.deserialize(bytes('[10.1]'))))).toBe('[10.1]');
  });

  it('keeps a single struct key bare (partition-by.json)', () => {
    const s = serde(
      [{ name: 'VAL', type: struct(['F1', SqlTypes.INTEGER], ['F2', SqlTypes.INTEGER]) }],
      'KEY',
    );
    const row = s.deserialize(bytes('{"F1": 1, "F2": 2}'));
    expect(plain(row![0]!)).toEqual({ F1: 1, F2: 2 });
    expect(text(s.serialize(row))).toBe('{"F1":1,"F2":2}');
  });

  it('writes several key columns as an object (delimited.json multi-column key)', () => {
    const s = serde(
      [
        { name: 'K1', type: SqlTypes.STRING },
        { name: 'K2', type: SqlTypes.STRING },
      ],
      'KEY',
    );
    expect(text(s.serialize(['foo', 'bar']))).toBe('{"K1":"foo","K2":"bar"}');
    expect(s.deserialize(bytes('{"k1": "foo", "k2": "bar"}'))).toEqual(['foo', 'bar']);
    // partition-by.json: a multi-column key of nulls is still an object, not a null key.
    expect(text(s.serialize([null, null]))).toBe('{"K1":null,"K2":null}');
    expect(s.serialize(null)).toBeNull();
  });
});

describe('JSON validation', () => {
  it('refuses non-STRING map keys', () => {
    expect(() =>
      JsonFormat.validate([{ name: 'FOO', type: mapType(SqlTypes.INTEGER, SqlTypes.DOUBLE) }], 'VALUE'),
    ).toThrow('JSON only supports MAP types with STRING keys');
    expect(() =>
      JsonFormat.validate(
        [{ name: 'FOO', type: arrayType(mapType(SqlTypes.BIGINT, SqlTypes.DOUBLE)) }],
        'VALUE',
      ),
    ).toThrow(FormatSchemaError);
  });

  it('refuses map keys, WRAP_SINGLE_VALUE on several columns and delimiters', () => {
    expect(() =>
      JsonFormat.validate(
        [{ name: 'K', type: arrayType(mapType(SqlTypes.INTEGER, SqlTypes.DOUBLE)) }],
        'KEY',
      ),
    ).toThrow('Key column name: `K`. Column type: ARRAY<MAP<INTEGER, DOUBLE>>.');
    const two: PersistedColumn[] = [
      { name: 'F0', type: SqlTypes.STRING },
      { name: 'F1', type: SqlTypes.STRING },
    ];
    for (const wrapSingleValue of [true, false]) {
      expect(() => JsonFormat.validate(two, 'VALUE', { wrapSingleValue })).toThrow(
        "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas",
      );
    }
    expect(() => JsonFormat.validate(two, 'VALUE', { delimiter: '|' })).toThrow(
      'JSON does not support the following configs: [delimiter]',
    );
    expect(() => JsonFormat.validate(two, 'VALUE', { delimiter: '|' })).toThrow(FormatConfigError);
  });
});
