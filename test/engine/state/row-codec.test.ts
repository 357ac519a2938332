import { describe, expect, it } from 'vitest';
import { rowKey, valuesEqual } from '../../../engine/catalog/value-compare.js';
import { Decimal, isSqlStruct, type SqlValue } from '../../../engine/catalog/values.js';
import { decodeRow, encodeKey, encodeRow } from '../../../engine/state/row-codec.js';
import { everyValueKind, seededRandom } from './state-store-contract.js';

describe('row codec', () => {
  it('round-trips every kind of value exactly', () => {
    const row = everyValueKind();
    const decoded = decodeRow(encodeRow(row));
    expect(decoded).toHaveLength(row.length);
    row.forEach((value, i) => {
      expect(valuesEqual(decoded[i] ?? null, value), `value ${i}`).toBe(true);
      expect(typeof decoded[i]).toBe(typeof value);
    });
    expect(Object.is(decoded[4], -0)).toBe(true);
    expect(decoded[14]).toBe(-(2n ** 63n));
    expect((decoded[17] as Decimal).toFixed()).toBe('-0.000000001');
    expect(isSqlStruct(decoded[26] ?? null)).toBe(true);
  });

  it('keeps bigints beyond int64 and huge decimals exact', () => {
    const row: SqlValue[] = [2n ** 100n, -(2n ** 64n), new Decimal('1e+400'), new Decimal('-1.5e-300')];
    const decoded = decodeRow(encodeRow(row));
    expect(decoded[0]).toBe(2n ** 100n);
    expect(decoded[1]).toBe(-(2n ** 64n));
    expect((decoded[2] as Decimal).eq(new Decimal('1e+400'))).toBe(true);
    expect((decoded[3] as Decimal).eq(new Decimal('-1.5e-300'))).toBe(true);
  });

  it('keeps map entry order in values, and ignores it in keys', () => {
    const ab = new Map<SqlValue, SqlValue>([
      ['a', 1],
      ['b', 2],
    ]);
    const ba = new Map<SqlValue, SqlValue>([
      ['b', 2],
      ['a', 1],
    ]);
    expect([...(decodeRow(encodeRow([ba]))[0] as Map<SqlValue, SqlValue>).keys()]).toEqual(['b', 'a']);
    expect(encodeKey([ab]).equals(encodeKey([ba]))).toBe(true);
    expect(encodeRow([ab]).equals(encodeRow([ba]))).toBe(false);
  });

  it('encodes keys to equal bytes exactly when rowKey is equal (seeded)', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const scalar = (): SqlValue =>
      pick<() => SqlValue>([
        () => pick([0, -0, 1, 1.5, Number.NaN, -1]),
        () => pick([0n, 1n, -1n]),
        () => new Decimal(pick(['1', '1.0', '1.00', '2', '0', '-0'])),
        () => pick(['a', 'b', '']),
        () => new Uint8Array(pick([[], [1], [1, 2]])),
        () => pick([null, true, false]),
      ])();
    const value = (depth: number): SqlValue => {
      if (depth === 0 || random() < 0.5) return scalar();
      const kind = Math.floor(random() * 3);
      if (kind === 0) return Array.from({ length: Math.floor(random() * 3) }, () => value(depth - 1));
      if (kind === 1) {
        const entries: [SqlValue, SqlValue][] = [
          ['x', value(depth - 1)],
          ['y', value(depth - 1)],
        ];
        return new Map(random() < 0.5 ? entries : entries.reverse());
      }
      const struct: Record<string, SqlValue> = Object.create(null);
      struct.f = value(depth - 1);
      return struct;
    };
    const rows = Array.from({ length: 5000 }, () => (random() < 0.5 ? [value(1)] : [scalar(), value(1)]));
    const bytesByKey = new Map<string, Set<string>>();
    const keysByBytes = new Map<string, Set<string>>();
    for (const row of rows) {
      const key = rowKey(row);
      const bytes = encodeKey(row).toString('hex');
      bytesByKey.set(key, (bytesByKey.get(key) ?? new Set()).add(bytes));
      keysByBytes.set(bytes, (keysByBytes.get(bytes) ?? new Set()).add(key));
    }
    expect([...bytesByKey.values()].filter((set) => set.size > 1)).toEqual([]);
    expect([...keysByBytes.values()].filter((set) => set.size > 1)).toEqual([]);
    // The domain is small, so many rows share a key: the check above is not vacuous.
    expect(bytesByKey.size).toBeLessThan(rows.length / 2);
  });

  it('keeps earlier encodings intact while later ones share the slab', () => {
    const encoded = Array.from({ length: 5000 }, (_, i) => encodeRow([i, `value-${i}`.repeat(i % 7)]));
    encoded.forEach((bytes, i) => {
      expect(decodeRow(bytes)).toEqual([i, `value-${i}`.repeat(i % 7)]);
    });
  });

  it('rejects truncated bytes', () => {
    const bytes = encodeRow(['truncated', 1n]);
    expect(() => decodeRow(bytes.subarray(0, bytes.length - 3))).toThrow(RangeError);
  });
});
