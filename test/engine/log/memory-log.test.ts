import { describe, expect, it } from 'vitest';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { logContract } from './log-contract.js';

describe('MemoryLog contract', () => {
  logContract({ createLog: () => new MemoryLog(), convergeMs: 2_000 });
});

describe('MemoryLog', () => {
  const key = (k: string) => Buffer.from(k);
  const value = (v: string) => Buffer.from(v);

  it('compacts to the latest record per key, keeping offsets and dropping tombstones', async () => {
    const log = new MemoryLog();
    await log.ensureTopic('c', { partitions: 1, config: { cleanupPolicy: 'compact' } });
    await log.append('c', [
      { key: key('a'), value: value('a1') },
      { key: key('b'), value: value('b1') },
      { key: key('a'), value: value('a2') },
      { key: key('c'), value: value('c1') },
      { key: key('b'), value: null },
      { key: key('c'), value: value('c2') },
    ]);
    log.compact('c', { dropTombstones: false });
    const keepingTombstones = log.openReader({ groupId: 'g1', topics: ['c'], autoOffsetReset: 'earliest' });
    expect(
      (await keepingTombstones.poll()).map((r) => [r.offset, r.key?.toString(), r.value?.toString() ?? null]),
    ).toEqual([
      [2n, 'a', 'a2'],
      [4n, 'b', null],
      [5n, 'c', 'c2'],
    ]);

    log.compact('c');
    const reader = log.openReader({ groupId: 'g2', topics: ['c'], autoOffsetReset: 'earliest' });
    expect((await reader.poll()).map((r) => [r.offset, r.value?.toString()])).toEqual([
      [2n, 'a2'],
      [5n, 'c2'],
    ]);
    expect(await log.endOffsets('c')).toEqual([{ partition: 0, offset: 6n }]);
    expect(reader.positions()).toEqual([{ topic: 'c', partition: 0, offset: 6n }]);
  });

  it('refuses to compact a delete topic and keyless records on a compacted topic', async () => {
    const log = new MemoryLog();
    await log.ensureTopic('d', { partitions: 1 });
    await log.ensureTopic('c', { partitions: 1, config: { cleanupPolicy: 'compact' } });
    expect(() => log.compact('d')).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    await expect(
      log.append('c', [
        { key: key('k'), value: null },
        { key: null, value: value('v') },
      ]),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    expect(await log.endOffsets('c')).toEqual([{ partition: 0, offset: 0n }]);
  });

  it('stamps records with its injected clock', async () => {
    let now = 1_000;
    const log = new MemoryLog({ clock: () => now });
    await log.ensureTopic('t', { partitions: 1 });
    await log.append('t', [{ key: null, value: value('x') }]);
    now = 2_000;
    const [second] = await log.append('t', [{ key: null, value: value('y') }]);
    expect(second!.timestamp).toBe(2_000);
    const reader = log.openReader({ groupId: 'g', topics: ['t'], autoOffsetReset: 'earliest' });
    expect((await reader.poll()).map((r) => r.timestamp)).toEqual([1_000, 2_000]);
  });

  it('round-robins null keys from partition 0', async () => {
    const log = new MemoryLog();
    await log.ensureTopic('t', { partitions: 3 });
    const results = await log.append(
      't',
      [1, 2, 3, 4].map(() => ({ key: null, value: null })),
    );
    expect(results.map((r) => r.partition)).toEqual([0, 1, 2, 0]);
  });

  it('wakes a waiting poll when records arrive, and honours maxRecords', async () => {
    const log = new MemoryLog();
    await log.ensureTopic('t', { partitions: 1 });
    const reader = log.openReader({ groupId: 'g', topics: ['t'], autoOffsetReset: 'earliest' });
    const waiting = reader.poll({ timeoutMs: 60_000, maxRecords: 2 });
    await log.append(
      't',
      ['a', 'b', 'c'].map((v) => ({ key: null, value: value(v) })),
    );
    expect((await waiting).map((r) => r.value?.toString())).toEqual(['a', 'b']);
    expect((await reader.poll()).map((r) => r.value?.toString())).toEqual(['c']);
  });

  it('splits partitions with a range assignor in join order', async () => {
    const log = new MemoryLog();
    await log.ensureTopic('t', { partitions: 5 });
    const a = log.openReader({ groupId: 'g', topics: ['t'] });
    const b = log.openReader({ groupId: 'g', topics: ['t'] });
    expect(a.assignment().map((tp) => tp.partition)).toEqual([0, 1, 2]);
    expect(b.assignment().map((tp) => tp.partition)).toEqual([3, 4]);
    await a.close();
    expect(b.assignment().map((tp) => tp.partition)).toEqual([0, 1, 2, 3, 4]);
  });
});
