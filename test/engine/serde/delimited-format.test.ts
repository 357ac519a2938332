import { describe, expect, it } from 'vitest';
import { arrayType, decimalType, mapType, SqlTypes, struct } from '../../../engine/catalog/types.js';
import { Decimal, type SqlValue } from '../../../engine/catalog/values.js';
import { DelimitedFormat, parseDelimiter } from '../../../engine/serde/delimited-format.js';
import { FormatConfigError, FormatSchemaError, SerdeError } from '../../../engine/serde/errors.js';
import type { PersistedColumn, SerdeOptions, SerdeTarget } from '../../../engine/serde/format.js';

function serde(columns: PersistedColumn[], target: SerdeTarget = 'VALUE', options: SerdeOptions = {}) {
  return DelimitedFormat.serde(columns, target, options);
}
const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));
const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('DELIMITED format', () => {
  it('reads keys of each primitive type, quoted or not (delimited.json)', () => {
    expect(serde([{ name: 'K', type: SqlTypes.BOOLEAN }], 'KEY').deserialize(bytes('"true"'))).toEqual([
      true,
    ]);
    expect(serde([{ name: 'K', type: SqlTypes.INTEGER }], 'KEY').deserialize(bytes('"22"'))).toEqual([22]);
    expect(
      serde([{ name: 'K', type: SqlTypes.BIGINT }], 'KEY').deserialize(bytes('998877665544332211')),
    ).toEqual([998877665544332211n]);
    expect(serde([{ name: 'K', type: SqlTypes.STRING }], 'KEY').deserialize(bytes('"You"'))).toEqual(['You']);
  });

  it('reads multi-column keys with their own delimiter', () => {
    const keys = serde(
      [
        { name: 'K1', type: SqlTypes.STRING },
        { name: 'K2', type: SqlTypes.STRING },
      ],
      'KEY',
      { delimiter: ';' },
    );
    expect(keys.deserialize(bytes('foo,bar;baz'))).toEqual(['foo,bar', 'baz']);
    expect(text(keys.serialize(['foo,bar', 'baz']))).toBe('foo,bar;baz');
    // Several null key columns are still a key record (as JSON writes {"K1": null, "K2": null}).
    expect(text(keys.serialize([null, null]))).toBe(';');
    expect(keys.serialize(null)).toBeNull();
  });

  const row: PersistedColumn[] = [
    { name: 'ID', type: SqlTypes.BIGINT },
    { name: 'NAME', type: SqlTypes.STRING },
    { name: 'VALUE', type: SqlTypes.INTEGER },
  ];

  it.each([
    ['|', '0|zero|0'],
    ['$', '0$zero$0'],
    ['SPACE', '0 zero 0'],
    ['TAB', '0\tzero\t0'],
    [undefined, '0,zero,0'],
  ])('uses the delimiter %s', (delimiter, line) => {
    const s = serde(row, 'VALUE', delimiter === undefined ? {} : { delimiter });
    expect(s.deserialize(bytes(line))).toEqual([0n, 'zero', 0]);
    expect(text(s.serialize([0n, 'zero', 0]))).toBe(line);
  });

  it('writes decimals at the column scale and re-reads quoted ones (delimited.json)', () => {
    const s = serde([{ name: 'V', type: decimalType(33, 16) }]);
    const cases: [string, string][] = [
      ['12345678987654321.2345678987654321', '12345678987654321.2345678987654321'],
      ['.12', '0.1200000000000000'],
      ['-12345.12', '"-12345.1200000000000000"'],
      ['"-12345.12"', '"-12345.1200000000000000"'],
      ['0', '0.0000000000000000'],
    ];
    for (const [input, output] of cases) {
      expect(text(s.serialize(s.deserialize(bytes(input))))).toBe(output);
    }
    const d64 = serde([{ name: 'DEC', type: decimalType(6, 4) }]);
    expect(text(d64.serialize(d64.deserialize(bytes('10.0000'))))).toBe('10.0000');
    expect(() => d64.deserialize(bytes('1.00001'))).toThrow(/without rounding/);
  });

  it('writes numbers as Java does (literals.json)', () => {
    const s = serde([
      { name: 'A', type: SqlTypes.INTEGER },
      { name: 'B', type: SqlTypes.DOUBLE },
      { name: 'C', type: SqlTypes.DOUBLE },
      { name: 'D', type: SqlTypes.DOUBLE },
      { name: 'E', type: SqlTypes.BIGINT },
    ]);
    expect(text(s.serialize([0, 4.9e-324, -1.7976931348623157e308, 2, -9223372036854775807n]))).toBe(
      '0,4.9E-324,-1.7976931348623157E308,2.0,-9223372036854775807',
    );
    expect(s.deserialize(bytes('0,4.9E-324,-1.7976931348623157E308,2.0,-9223372036854775807'))).toEqual([
      0,
      4.9e-324,
      -1.7976931348623157e308,
      2,
      -9223372036854775807n,
    ]);
  });

  it('writes time types as numbers and bytes as base64', () => {
    const s = serde([
      { name: 'D', type: SqlTypes.DATE },
      { name: 'T', type: SqlTypes.TIME },
      { name: 'TS', type: SqlTypes.TIMESTAMP },
      { name: 'B', type: SqlTypes.BYTES },
    ]);
    // date.json: a DATE of -10 is written quoted, being a first field starting with '-'.
    expect(text(s.serialize([-10, 10, 1_700_000_000_000, Buffer.from('!')]))).toBe(
      '"-10",10,1700000000000,IQ==',
    );
    expect(s.deserialize(bytes('"-10",10,1700000000000,IQ=='))).toEqual([
      -10,
      10,
      1_700_000_000_000,
      Buffer.from('!'),
    ]);
  });

  it('reads empty fields as null and writes nulls as empty fields', () => {
    const s = serde(row);
    expect(s.deserialize(bytes(',,100'))).toEqual([null, null, 100]);
    expect(text(s.serialize([null, null, 100]))).toBe(',,100');
    const single = serde([{ name: 'S', type: SqlTypes.STRING }]);
    expect(text(single.serialize([null]))).toBe('');
    expect(single.deserialize(bytes(''))).toEqual([null]);
    expect(s.serialize(null)).toBeNull();
    expect(s.deserialize(null)).toBeNull();
  });

  it('rejects records that do not fit the columns', () => {
    const s = serde(row);
    expect(() => s.deserialize(bytes('1,a'))).toThrow('Unexpected field count, csvFields:2 schemaFields:3');
    expect(() => s.deserialize(bytes('x,a,1'))).toThrow(SerdeError);
    expect(() => s.deserialize(bytes('1,a,2147483648'))).toThrow(/out of range/);
    expect(() => s.deserialize(Buffer.from([0xff, 0x2c, 0x31]))).toThrow(SerdeError);
    const b = serde([{ name: 'B', type: SqlTypes.BOOLEAN }]);
    expect(() => b.deserialize(bytes('yes'))).toThrow(SerdeError);
    expect(b.deserialize(bytes('FALSE'))).toEqual([false]);
  });

  it('round-trips awkward strings', () => {
    const s = serde([
      { name: 'A', type: SqlTypes.STRING },
      { name: 'B', type: SqlTypes.STRING },
    ]);
    const values: SqlValue[][] = [
      ['a,b', '"q"'],
      [' lead', 'trail '],
      ['two\nlines', '#'],
    ];
    for (const v of values) expect(s.deserialize(s.serialize(v))).toEqual(v);
    // DELIMITED cannot tell an empty string from a null: both read back as null, as in ksqlDB.
    expect(s.deserialize(s.serialize(['', 'x']))).toEqual([null, 'x']);
    expect(serde([{ name: 'D', type: decimalType(4, 2) }]).deserialize(bytes('1.5'))?.[0]).toEqual(
      new Decimal('1.50'),
    );
  });

  it('refuses nested types with ksqlDB messages', () => {
    expect(() => DelimitedFormat.validate([{ name: 'K', type: arrayType(SqlTypes.DOUBLE) }], 'KEY')).toThrow(
      "Key format does not support schema.\nformat: DELIMITED\nschema: Persistence{columns=[`K` ARRAY<DOUBLE> KEY], features=[]}\nreason: The 'DELIMITED' format does not support type 'ARRAY', column: `K`",
    );
    expect(() =>
      DelimitedFormat.validate([{ name: 'K', type: struct(['F', SqlTypes.DOUBLE]) }], 'KEY'),
    ).toThrow(
      "Key format does not support schema.\nformat: DELIMITED\nschema: Persistence{columns=[`K` STRUCT<`F` DOUBLE> KEY], features=[]}\nreason: The 'DELIMITED' format does not support type 'STRUCT', column: `K`",
    );
    expect(() =>
      DelimitedFormat.validate([{ name: 'FOO', type: mapType(SqlTypes.INTEGER, SqlTypes.DOUBLE) }], 'VALUE'),
    ).toThrow("The 'DELIMITED' format does not support type 'MAP'");
    // Map keys are refused before the format is asked.
    expect(() =>
      DelimitedFormat.validate([{ name: 'K', type: mapType(SqlTypes.STRING, SqlTypes.DOUBLE) }], 'KEY'),
    ).toThrow(
      'Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `K`. Column type: MAP<STRING, DOUBLE>. See https://github.com/confluentinc/ksql/issues/6621 for more.',
    );
    expect(() => DelimitedFormat.validate([{ name: 'K', type: arrayType(SqlTypes.DOUBLE) }], 'KEY')).toThrow(
      FormatSchemaError,
    );
  });

  it('refuses WRAP_SINGLE_VALUE=true', () => {
    expect(() =>
      DelimitedFormat.validate([{ name: 'FOO', type: SqlTypes.INTEGER }], 'VALUE', { wrapSingleValue: true }),
    ).toThrow("Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.");
  });
});

describe('parseDelimiter', () => {
  it('accepts one character or TAB/SPACE', () => {
    expect(parseDelimiter(undefined)).toBe(',');
    expect(parseDelimiter('|')).toBe('|');
    expect(parseDelimiter('tab')).toBe('\t');
    expect(parseDelimiter('SPACE')).toBe(' ');
  });

  it('refuses others with ksqlDB messages', () => {
    expect(() => parseDelimiter('<~>')).toThrow(
      "Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'",
    );
    expect(() => parseDelimiter(' ')).toThrow(
      "Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'",
    );
    expect(() => parseDelimiter('', 'KEY_DELIMITER')).toThrow(/^Configuration KEY_DELIMITER is invalid/);
    expect(() => parseDelimiter('ab')).toThrow(FormatConfigError);
  });
});
