import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import type { RestoreProgress } from '../../../engine/state/changelog-restore.js';
import { restoreFromLog, restoreRecords } from '../../../engine/state/changelog-restore.js';
import type { DuckDBStateStore } from '../../../engine/state/duckdb-state-store.js';
import { openMemoryStateStore } from '../../../engine/state/memory-state-store.js';

describe('restoring stores from changelog topics', () => {
  const stores: DuckDBStateStore[] = [];
  async function open(cacheBytes?: number): Promise<DuckDBStateStore> {
    const store = await openMemoryStateStore(cacheBytes === undefined ? {} : { cacheBytes });
    stores.push(store);
    return store;
  }
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('reads every partition to its end offset, reporting progress in offsets', async () => {
    const log = new MemoryLog();
    await log.ensureTopic('changelog', { partitions: 3, config: { cleanupPolicy: 'compact' } });
    const source = await open();
    const kv = await source.keyValueStore('kv');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 40; i++) kv.put([`k${i}`], [round, BigInt(i)]);
      if (round === 2) for (let i = 0; i < 40; i += 4) kv.delete([`k${i}`]);
      const changelog = await source.commit([]);
      await log.append('changelog', [...(changelog.get('kv') ?? [])]);
    }
    log.compact('changelog');
    const total = (await log.endOffsets('changelog')).reduce((n, p) => n + Number(p.offset), 0);

    const target = await open(1_000);
    const restored = await target.keyValueStore('kv');
    const progress: RestoreProgress[] = [];
    const applied = await restoreFromLog(log, 'changelog', restored, { onProgress: (p) => progress.push(p) });
    expect(applied).toBe(30);
    expect(progress[0]).toEqual({ restored: 0, total });
    expect(progress.at(-1)).toEqual({ restored: total, total });
    const restoredCounts = progress.map((p) => p.restored);
    expect(restoredCounts).toEqual([...restoredCounts].sort((a, b) => a - b));

    const keys = Array.from({ length: 40 }, (_, i) => [`k${i}`]);
    await restored.prefetch(keys);
    for (let i = 0; i < 40; i++) {
      expect(restored.get([`k${i}`])).toEqual(i % 4 === 0 ? undefined : [2, BigInt(i)]);
    }
  });

  it('restores nothing from an empty topic', async () => {
    const log = new MemoryLog();
    await log.ensureTopic('empty', { partitions: 2 });
    const target = await open();
    const progress: RestoreProgress[] = [];
    const applied = await restoreFromLog(log, 'empty', await target.keyValueStore('kv'), {
      onProgress: (p) => progress.push(p),
    });
    expect(applied).toBe(0);
    expect(progress).toEqual([{ restored: 0, total: 0 }]);
  });

  it('applies records from any async iterable, the last record of a key winning', async () => {
    const source = await open();
    const windows = await source.windowStore('w');
    windows.put(['a'], { start: 0, end: 10 }, [1]);
    windows.put(['a'], { start: 10, end: 20 }, [2]);
    const first = (await source.commit([])).get('w') ?? [];
    await windows.prefetch([['a']]);
    windows.put(['a'], { start: 0, end: 10 }, [3]);
    windows.delete(['a'], { start: 10, end: 20 });
    const second = (await source.commit([])).get('w') ?? [];
    const asLogRecords = (records: typeof first) =>
      records.map((r, i) => ({
        topic: 'changelog',
        partition: 0,
        offset: BigInt(i),
        key: r.key,
        value: r.value,
        timestamp: 0,
        headers: [],
      }));
    async function* batches() {
      yield asLogRecords(first);
      yield asLogRecords(second);
    }
    const target = await open();
    const restored = await target.windowStore('w');
    expect(await restoreRecords(batches(), restored, { batchSize: 1 })).toBe(4);
    await restored.prefetch([['a']]);
    expect(restored.fetch(['a'], 0, 100)).toEqual([{ window: { start: 0, end: 10 }, value: [3] }]);
  });

  it('replaces cached keys the records touch', async () => {
    const source = await open();
    const sourceKv = await source.keyValueStore('kv');
    sourceKv.put(['a'], ['restored']);
    const records = (await source.commit([])).get('kv') ?? [];
    const target = await open();
    const kv = await target.keyValueStore('kv');
    kv.put(['a'], ['local']);
    kv.put(['b'], ['local']);
    await target.commit([]);
    await kv.restore(records);
    await kv.prefetch([['a'], ['b']]);
    expect(kv.get(['a'])).toEqual(['restored']);
    expect(kv.get(['b'])).toEqual(['local']);
  });

  it('refuses to restore over uncommitted writes', async () => {
    const source = await open();
    const kv = await source.keyValueStore('kv');
    kv.put(['a'], [1]);
    const records = (await source.commit([])).get('kv') ?? [];
    const target = await open();
    const restored = await target.keyValueStore('kv');
    restored.put(['a'], [2]);
    await expect(restored.restore(records)).rejects.toThrow(/uncommitted/);
  });
});
