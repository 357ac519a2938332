/**
 * Seeded random rows through every format that can hold them: what is written reads back
 * equal, and the JSON format's fast path reads exactly what its lossless path reads.
 */
import { describe, expect, it } from 'vitest';
import {
  arrayType,
  decimalType,
  mapType,
  type SqlType,
  SqlTypes,
  struct,
} from '../../../engine/catalog/types.js';
import { valuesEqual } from '../../../engine/catalog/value-compare.js';
import { jsonToValue, parseJson } from '../../../engine/catalog/value-json.js';
import { Decimal, makeStruct, type SqlValue } from '../../../engine/catalog/values.js';
import { DelimitedFormat } from '../../../engine/serde/delimited-format.js';
import type { Format, PersistedColumn } from '../../../engine/serde/format.js';
import { JsonFormat } from '../../../engine/serde/json-format.js';
import { KafkaFormat } from '../../../engine/serde/kafka-format.js';

/** mulberry32: a small deterministic generator, so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ['', 'a', 'héllo', ' spaced ', 'x,y', 'say "hi"', 'two\nlines', '#', '-1', '☃', '1.50', '\t'];

function randomValue(type: SqlType, next: () => number, depth = 0): SqlValue {
  if (next() < 0.1) return null;
  const int = (bound: number) => Math.floor(next() * bound);
  switch (type.kind) {
    case 'BOOLEAN':
      return next() < 0.5;
    case 'INTEGER':
      return int(2 ** 32) - 2 ** 31;
    case 'BIGINT':
      return BigInt.asIntN(64, (BigInt(int(2 ** 32)) << 32n) | BigInt(int(2 ** 32))) >> BigInt(int(64));
    case 'DOUBLE': {
      const choices = [0, -0.5, 1e21, 1e-7, 123.456, 2 ** 53 + 2, 5e-324, 1.7976931348623157e308];
      return next() < 0.5 ? choices[int(choices.length)]! : (next() - 0.5) * 10 ** int(30);
    }
    case 'DECIMAL': {
      const digits = Array.from({ length: type.precision }, () => int(10)).join('');
      const text = `${next() < 0.5 ? '-' : ''}${digits.slice(0, type.precision - type.scale) || '0'}.${digits.slice(type.precision - type.scale)}0`;
      return new Decimal(text).toDecimalPlaces(type.scale);
    }
    case 'STRING':
      return STRINGS[int(STRINGS.length)]!;
    case 'BYTES':
      return Buffer.from(Array.from({ length: int(6) }, () => int(256)));
    case 'DATE':
      return int(100_000) - 50_000;
    case 'TIME':
      return int(86_400_000);
    case 'TIMESTAMP':
      return int(4_000_000_000_000) - 1_000_000_000_000;
    case 'ARRAY':
      return Array.from({ length: int(4) }, () => randomValue(type.element, next, depth + 1));
    case 'MAP': {
      const map = new Map<SqlValue, SqlValue>();
      for (let i = int(4); i > 0; i--)
        map.set(STRINGS[int(STRINGS.length)]!, randomValue(type.value, next, depth + 1));
      return map;
    }
    case 'STRUCT': {
      const fields: Record<string, SqlValue> = {};
      for (const f of type.fields) fields[f.name] = randomValue(f.type, next, depth + 1);
      return makeStruct(type, fields);
    }
  }
}

const primitives: SqlType[] = [
  SqlTypes.BOOLEAN,
  SqlTypes.INTEGER,
  SqlTypes.BIGINT,
  SqlTypes.DOUBLE,
  decimalType(10, 3),
  decimalType(38, 20),
  SqlTypes.STRING,
  SqlTypes.BYTES,
  SqlTypes.DATE,
  SqlTypes.TIME,
  SqlTypes.TIMESTAMP,
];
const nested: SqlType[] = [
  arrayType(SqlTypes.BIGINT),
  mapType(SqlTypes.STRING, decimalType(6, 2)),
  struct(['A', SqlTypes.STRING], ['b', arrayType(struct(['X', SqlTypes.DOUBLE]))]),
];

function columns(types: readonly SqlType[]): PersistedColumn[] {
  return types.map((type, i) => ({ name: `C${i}`, type }));
}

function roundTrip(format: Format, cols: PersistedColumn[], target: 'KEY' | 'VALUE', seed: number): void {
  const serde = format.serde(cols, target);
  const next = random(seed);
  for (let i = 0; i < 300; i++) {
    const row = cols.map((c) => randomValue(c.type, next));
    const bytes = serde.serialize(row);
    const back = serde.deserialize(bytes);
    const allNull = row.every((v) => v === null);
    // A null key, and a KAFKA value of one null column, are null records.
    if (allNull && (target === 'KEY' || format.name === 'KAFKA')) {
      expect(bytes).toBeNull();
      continue;
    }
    // DELIMITED cannot tell empty text or bytes from null.
    const empty = (v: SqlValue) => v === '' || (v instanceof Uint8Array && v.length === 0);
    const expected = format.name === 'DELIMITED' ? row.map((v) => (empty(v) ? null : v)) : row;
    const same =
      back !== null &&
      back.length === expected.length &&
      back.every((v, j) => valuesEqual(v, expected[j] ?? null));
    expect(same, `row ${i}: ${bytes?.toString('utf8')}`).toBe(true);
  }
}

describe('round trips', () => {
  it('JSON values and keys of every type', () => {
    roundTrip(JsonFormat, columns([...primitives, ...nested]), 'VALUE', 1);
    roundTrip(JsonFormat, columns(primitives.slice(0, 4)), 'KEY', 2);
    // Map keys are refused, so the map-holding type is left out of the keys.
    for (const [i, type] of [...primitives, nested[0]!, nested[2]!].entries()) {
      roundTrip(JsonFormat, columns([type]), 'KEY', 10 + i);
    }
  });

  it('DELIMITED values and keys of every primitive type', () => {
    roundTrip(DelimitedFormat, columns(primitives), 'VALUE', 3);
    roundTrip(DelimitedFormat, columns(primitives), 'KEY', 4);
  });

  it('KAFKA single columns', () => {
    for (const [i, type] of [
      SqlTypes.INTEGER,
      SqlTypes.BIGINT,
      SqlTypes.DOUBLE,
      SqlTypes.STRING,
      SqlTypes.BYTES,
    ].entries()) {
      roundTrip(KafkaFormat, columns([type]), 'VALUE', 30 + i);
    }
  });

  it('JSON reads the same through the native and the lossless parser', () => {
    const types = [...primitives, ...nested];
    const cols = columns(types);
    const serde = JsonFormat.serde(cols, 'VALUE');
    const rowType = struct(...cols.map((c) => [c.name, c.type] as const));
    const next = random(5);
    for (let i = 0; i < 300; i++) {
      const text = serde.serialize(cols.map((c) => randomValue(c.type, next)))!.toString('utf8');
      const viaSerde = serde.deserialize(Buffer.from(text));
      const lossless = jsonToValue(rowType, parseJson(text)) as Record<string, SqlValue>;
      expect(
        viaSerde!.every((v, j) => valuesEqual(v, lossless[`C${j}`] ?? null)),
        text,
      ).toBe(true);
    }
  });
});
