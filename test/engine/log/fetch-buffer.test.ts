import { describe, expect, it } from 'vitest';
import { FetchBuffer } from '../../../engine/log/fetch-buffer.js';
import type { LogRecord } from '../../../engine/log/log.js';

function rec(partition: number, offset: number, value = `v${offset}`): LogRecord {
  return {
    topic: 't',
    partition,
    offset: BigInt(offset),
    key: null,
    value: Buffer.from(value),
    timestamp: 0,
    headers: [],
  };
}

const never = () => false;
const offsets = (records: LogRecord[]) => records.map((r) => [r.partition, Number(r.offset)]);

describe('FetchBuffer', () => {
  const t = (partition: number) => ({ topic: 't', partition });

  it('hands out records per partition in order, rotating the partition it starts from', () => {
    const buffer = new FetchBuffer({ maxRecords: 100, maxBytes: 1_000_000 });
    buffer.assign([t(0), t(1)]);
    buffer.add('t', 0, [rec(0, 0), rec(0, 1)], 2n);
    buffer.add('t', 1, [rec(1, 0), rec(1, 1)], 2n);
    expect(offsets(buffer.take(3, never))).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
    ]);
    expect(offsets(buffer.take(3, never))).toEqual([[1, 1]]);
    expect(buffer.positions()).toEqual([
      { topic: 't', partition: 0, offset: 2n },
      { topic: 't', partition: 1, offset: 2n },
    ]);
  });

  it('drops records fetched again after a rebalance that kept the partition', () => {
    const buffer = new FetchBuffer({ maxRecords: 100, maxBytes: 1_000_000 });
    buffer.assign([t(0)]);
    buffer.add('t', 0, [rec(0, 0), rec(0, 1), rec(0, 2)], 3n);
    expect(offsets(buffer.take(1, never))).toEqual([[0, 0]]);
    buffer.assign([t(0), t(1)]);
    buffer.add('t', 0, [rec(0, 0), rec(0, 1), rec(0, 2), rec(0, 3)], 4n);
    expect(offsets(buffer.take(10, never))).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
  });

  it('forgets revoked partitions, records and positions alike', () => {
    const buffer = new FetchBuffer({ maxRecords: 100, maxBytes: 1_000_000 });
    buffer.assign([t(0), t(1)]);
    buffer.add('t', 1, [rec(1, 5)], 6n);
    buffer.assign([t(0)]);
    expect(buffer.take(10, never)).toEqual([]);
    expect(buffer.size()).toEqual({ records: 0, bytes: 0 });
    buffer.assign([t(0), t(1)]);
    buffer.add('t', 1, [rec(1, 3)], 4n);
    expect(offsets(buffer.take(10, never))).toEqual([[1, 3]]);
  });

  it('moves the position past transaction markers once the records before them are taken', () => {
    const buffer = new FetchBuffer({ maxRecords: 100, maxBytes: 1_000_000 });
    buffer.assign([t(0)]);
    buffer.add('t', 0, [rec(0, 0), rec(0, 1)], 3n);
    expect(buffer.positions()).toEqual([]);
    buffer.take(1, never);
    expect(buffer.positions()).toEqual([{ topic: 't', partition: 0, offset: 1n }]);
    buffer.take(1, never);
    expect(buffer.positions()).toEqual([{ topic: 't', partition: 0, offset: 3n }]);
    buffer.skipTo('t', 0, 5n);
    expect(buffer.positions()).toEqual([{ topic: 't', partition: 0, offset: 5n }]);
  });

  it('restarts from a seek and ignores marker-only fetches until the new position is fetched', () => {
    const buffer = new FetchBuffer({ maxRecords: 100, maxBytes: 1_000_000 });
    buffer.assign([t(0)]);
    buffer.add('t', 0, [rec(0, 0), rec(0, 1), rec(0, 2)], 3n);
    expect(buffer.seek('t', 0, 1n)).toBe(true);
    expect(buffer.seek('t', 9, 1n)).toBe(false);
    buffer.skipTo('t', 0, 10n);
    expect(buffer.positions()).toEqual([{ topic: 't', partition: 0, offset: 1n }]);
    buffer.add('t', 0, [rec(0, 1), rec(0, 2)], 3n);
    expect(offsets(buffer.take(10, never))).toEqual([
      [0, 1],
      [0, 2],
    ]);
  });

  it('leaves paused partitions buffered', () => {
    const buffer = new FetchBuffer({ maxRecords: 100, maxBytes: 1_000_000 });
    buffer.assign([t(0), t(1)]);
    buffer.add('t', 0, [rec(0, 0)], 1n);
    buffer.add('t', 1, [rec(1, 0)], 1n);
    expect(offsets(buffer.take(10, (_, partition) => partition === 0))).toEqual([[1, 0]]);
    expect(offsets(buffer.take(10, never))).toEqual([[0, 0]]);
  });

  it('reports full at either limit and drained below half of both', () => {
    const buffer = new FetchBuffer({ maxRecords: 4, maxBytes: 1_000 });
    buffer.assign([t(0)]);
    buffer.add('t', 0, [rec(0, 0), rec(0, 1), rec(0, 2)], 3n);
    expect(buffer.isFull()).toBe(false);
    buffer.add('t', 0, [rec(0, 3)], 4n);
    expect(buffer.isFull()).toBe(true);
    buffer.take(1, never);
    expect(buffer.isDrained()).toBe(false);
    buffer.take(1, never);
    expect(buffer.isDrained()).toBe(true);

    const bytes = new FetchBuffer({ maxRecords: 100, maxBytes: 10 });
    bytes.assign([t(0)]);
    bytes.add('t', 0, [rec(0, 0, '0123456789')], 1n);
    expect(bytes.isFull()).toBe(true);
  });
});
