import { describe, expect, it } from 'vitest';
import { HEADERS_TYPE, isSystemColumnName, LogicalSchema } from '../../../engine/catalog/schema.js';
import { arrayType, decimalType, SqlTypes, struct } from '../../../engine/catalog/types.js';

describe('LogicalSchema', () => {
  const schema = LogicalSchema.builder()
    .valueColumn('NAME', SqlTypes.STRING)
    .keyColumn('ID', SqlTypes.BIGINT)
    .valueColumn('PRICE', decimalType(10, 2))
    .build();

  it('puts key columns first and keeps the rest in order', () => {
    expect(schema.columns.map((c) => c.name)).toEqual(['ID', 'NAME', 'PRICE']);
    expect(schema.key.map((c) => c.name)).toEqual(['ID']);
    expect(schema.value.map((c) => c.name)).toEqual(['NAME', 'PRICE']);
  });

  it('prints ksqlDB schema text', () => {
    expect(schema.format()).toBe('`ID` BIGINT KEY, `NAME` STRING, `PRICE` DECIMAL(10, 2)');
    expect(schema.format({ markKeys: false })).toBe('`ID` BIGINT, `NAME` STRING, `PRICE` DECIMAL(10, 2)');
    expect(String(schema)).toBe(schema.format());
  });

  it('prints header columns', () => {
    const withHeaders = LogicalSchema.builder()
      .keyColumn('K', SqlTypes.STRING)
      .headerColumn('H')
      .headerColumn('ABC', "it's")
      .build();
    expect(withHeaders.format()).toBe(
      "`K` STRING KEY, `H` ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS, `ABC` BYTES HEADER('it''s')",
    );
    expect(withHeaders.headers.map((c) => c.name)).toEqual(['H', 'ABC']);
    expect(withHeaders.findValue('ABC')?.headerKey).toBe("it's");
  });

  it('rejects duplicate names and mistyped header columns', () => {
    expect(() =>
      LogicalSchema.builder().keyColumn('A', SqlTypes.INTEGER).valueColumn('A', SqlTypes.INTEGER).build(),
    ).toThrow('Duplicate column name: `A`');
    expect(() => LogicalSchema.of([{ name: 'H', type: SqlTypes.STRING, namespace: 'HEADERS' }])).toThrow(
      /Invalid type for HEADERS column `H`/,
    );
    expect(LogicalSchema.of([{ name: 'H', type: HEADERS_TYPE, namespace: 'HEADERS' }]).headers).toHaveLength(
      1,
    );
  });

  it('treats names as case-sensitive', () => {
    const s = LogicalSchema.builder()
      .valueColumn('a', SqlTypes.INTEGER)
      .valueColumn('A', SqlTypes.STRING)
      .build();
    expect(s.find('a')?.type).toBe(SqlTypes.INTEGER);
    expect(s.find('A')?.type).toBe(SqlTypes.STRING);
    expect(s.findKey('a')).toBeUndefined();
  });

  it('adds pseudo columns for processing', () => {
    expect(schema.withPseudoColumns(false).format()).toBe(
      '`ID` BIGINT KEY, `NAME` STRING, `PRICE` DECIMAL(10, 2), `ROWTIME` BIGINT, `ROWPARTITION` INTEGER, `ROWOFFSET` BIGINT',
    );
    expect(schema.withPseudoColumns(true).value.map((c) => c.name)).toEqual([
      'NAME',
      'PRICE',
      'ROWTIME',
      'ROWPARTITION',
      'ROWOFFSET',
      'WINDOWSTART',
      'WINDOWEND',
    ]);
    // Adding them twice does not duplicate them.
    expect(schema.withPseudoColumns(true).withPseudoColumns(false).columns).toHaveLength(6);
  });

  it('knows the system column names', () => {
    for (const name of ['ROWTIME', 'ROWPARTITION', 'ROWOFFSET', 'WINDOWSTART', 'WINDOWEND']) {
      expect(isSystemColumnName(name)).toBe(true);
    }
    expect(isSystemColumnName('ROWKEY')).toBe(false);
    expect(isSystemColumnName('rowtime')).toBe(false);
  });

  it('compares structurally', () => {
    const again = LogicalSchema.builder()
      .keyColumn('ID', SqlTypes.BIGINT)
      .valueColumn('NAME', SqlTypes.STRING)
      .valueColumn('PRICE', decimalType(10, 2))
      .build();
    expect(schema.equals(again)).toBe(true);
    const other = LogicalSchema.builder()
      .keyColumn('ID', SqlTypes.BIGINT)
      .valueColumn('NAME', SqlTypes.STRING)
      .valueColumn('PRICE', decimalType(10, 3))
      .build();
    expect(schema.equals(other)).toBe(false);
    expect(Object.isFrozen(schema)).toBe(true);
  });

  it('prints nested types inside columns', () => {
    const s = LogicalSchema.builder()
      .valueColumn('S', struct(['A', arrayType(SqlTypes.INTEGER)]))
      .build();
    expect(s.format()).toBe('`S` STRUCT<`A` ARRAY<INTEGER>>');
  });
});
