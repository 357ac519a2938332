/**
 * The StateStore contract: run against every StateStore implementation (a DuckDB file and
 * DuckDB in memory). A `durable` harness reopens the same state; an in-memory one opens
 * empty state each time, so the reopen cases run only on durable harnesses.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowKey, valuesEqual } from '../../../engine/catalog/value-compare.js';
import { Decimal, type SqlValue } from '../../../engine/catalog/values.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { restoreFromLog } from '../../../engine/state/changelog-restore.js';
import {
  type ChangelogBatch,
  type KeyValueStore,
  StateNotLoadedError,
  type StateRow,
  type StateStore,
  type StateStoreOptions,
  type WindowStore,
} from '../../../engine/state/state-store.js';
import { ModelStateStore } from './model-state-store.js';

export interface StateStoreHarness {
  /**
   * Opens the state at `location`: the same state each time when the harness is durable,
   * else empty state.
   */
  open(options?: StateStoreOptions, location?: string): Promise<StateStore>;
  /** Deletes the durable state (the DuckDB files), as a lost disk would. */
  wipe(): Promise<void>;
  dispose(): Promise<void>;
}

/** mulberry32: a small seeded generator, so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPIC = 'source';

/** Every kind of runtime value, nested, with the edges that lossy encodings get wrong. */
export function everyValueKind(): StateRow {
  const struct: Record<string, SqlValue> = Object.create(null);
  struct.id = 2n ** 62n + 7n;
  struct.tags = ['a', null, 'ü€😀'];
  struct.inner = new Map<SqlValue, SqlValue>([
    ['z', [new Uint8Array([0, 255, 128])]],
    ['a', null],
  ]);
  return [
    null,
    true,
    false,
    0,
    -0,
    42,
    -2147483648,
    2147483647,
    2147483648,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1_700_000_000_123,
    2n ** 53n + 1n,
    -(2n ** 63n),
    2n ** 63n - 1n,
    new Decimal('12345678901234567890.123456789'),
    new Decimal('-0.000000001'),
    '',
    'plain',
    'quote " and \\ and \u0000',
    new Uint8Array([]),
    new Uint8Array([1, 2, 3, 254]),
    [],
    [1, [2n, [new Decimal('3.25')]]],
    new Map<SqlValue, SqlValue>([
      [3n, 'c'],
      [1n, 'a'],
    ]),
    struct,
  ];
}

export function stateStoreContract(
  label: string,
  durable: boolean,
  makeHarness: () => Promise<StateStoreHarness>,
): void {
  describe(`${label}: StateStore contract`, () => {
    let harness: StateStoreHarness;
    const open: StateStore[] = [];

    async function openStore(options?: StateStoreOptions, location?: string): Promise<StateStore> {
      const store = await harness.open(options, location);
      open.push(store);
      return store;
    }

    beforeEach(async () => {
      harness = await makeHarness();
    });

    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
      await harness.dispose();
    });

    it('puts, gets and deletes keys, before and after a commit', async () => {
      const state = await openStore();
      const kv = await state.keyValueStore('counts');
      expect(kv.get(['a'])).toBeUndefined();
      kv.put(['a'], [1n]);
      kv.put(['b', 2], [2n, 'two']);
      expect(kv.get(['a'])).toEqual([1n]);
      expect(kv.get(['b', 2])).toEqual([2n, 'two']);
      kv.put(['a'], [3n]);
      expect(kv.get(['a'])).toEqual([3n]);
      await state.commit([]);
      expect(kv.get(['a'])).toEqual([3n]);
      kv.delete(['a']);
      expect(kv.get(['a'])).toBeUndefined();
      await state.commit([]);
      expect(kv.get(['a'])).toBeUndefined();
      expect(kv.get(['b', 2])).toEqual([2n, 'two']);
    });

    it('treats keys equal by rowKey as one key (-0 and 0, NaN, map order)', async () => {
      const state = await openStore({ cacheBytes: 1 });
      const kv = await state.keyValueStore('k');
      kv.put(
        [
          0,
          Number.NaN,
          new Map([
            ['x', 1],
            ['y', 2],
          ] as [SqlValue, SqlValue][]),
        ],
        ['first'],
      );
      await state.commit([]);
      const sameKey: StateRow = [
        -0,
        Number.NaN,
        new Map([
          ['y', 2],
          ['x', 1],
        ] as [SqlValue, SqlValue][]),
      ];
      await kv.prefetch([sameKey]);
      expect(kv.get(sameKey)).toEqual(['first']);
    });

    it('throws on reading a key that may be in DuckDB but was not prefetched', async () => {
      const state = await openStore({ cacheBytes: 1 });
      const kv = await state.keyValueStore('kv');
      kv.put(['a'], [1]);
      await state.commit([]);
      expect(() => kv.get(['a'])).toThrow(StateNotLoadedError);
      expect(() => kv.get(['never'])).toThrow(StateNotLoadedError);
      await kv.prefetch([['a'], ['never']]);
      expect(kv.get(['a'])).toEqual([1]);
      expect(kv.get(['never'])).toBeUndefined();
    });

    it('reads windows by key and start time, and expires them by end time', async () => {
      const state = await openStore({ cacheBytes: 1 });
      const windows = await state.windowStore('windowed');
      const key = ['auction-1'];
      await windows.prefetch([key]);
      for (const start of [0, 10, 20, 30]) windows.put(key, { start, end: start + 10 }, [BigInt(start)]);
      windows.put(key, { start: 10, end: 15 }, ['short']);
      windows.put(['other'], { start: 10, end: 20 }, ['other']);
      const starts = (s: WindowStore, from: number, to: number) =>
        s.fetch(key, from, to).map((e) => [e.window.start, e.window.end, e.value[0]]);
      expect(starts(windows, 10, 20)).toEqual([
        [10, 15, 'short'],
        [10, 20, 10n],
        [20, 30, 20n],
      ]);
      expect(windows.get(key, { start: 30, end: 40 })).toEqual([30n]);
      await state.commit([]);
      await windows.prefetch([key, ['other']]);
      expect(starts(windows, 0, 100)).toHaveLength(5);
      windows.delete(key, { start: 0, end: 10 });
      windows.expireBefore(20);
      expect(starts(windows, 0, 100)).toEqual([
        [10, 20, 10n],
        [20, 30, 20n],
        [30, 40, 30n],
      ]);
      expect(windows.fetch(['other'], 0, 100)).toHaveLength(1);
      await state.commit([]);
      await windows.prefetch([key]);
      expect(starts(windows, 0, 100)).toEqual([
        [10, 20, 10n],
        [20, 30, 20n],
        [30, 40, 30n],
      ]);
      windows.expireBefore(35);
      await state.commit([]);
      await windows.prefetch([key, ['other']]);
      expect(starts(windows, 0, 100)).toEqual([[30, 40, 30n]]);
      expect(windows.fetch(['other'], 0, 100)).toEqual([]);
    });

    it('writes windows blind and reads the committed ones by end, leaving the cache alone', async () => {
      const state = await openStore({ cacheBytes: 1 });
      const windows = await state.windowStore('held');
      const byEnd = async (from: number, to: number) =>
        (await windows.committedEndingIn(from, to))
          .map((e) => `${rowKey(e.key)} ${e.window.start}-${e.window.end} ${rowKey(e.value)}`)
          .sort();
      for (const k of ['a', 'b', 'c']) {
        windows.blindPut([k], { start: 0, end: 10 }, [k, 1]);
        windows.blindPut([k], { start: 10, end: 20 }, [k, 2]);
      }
      // Not committed yet: not there.
      expect(await byEnd(0, 100)).toEqual([]);
      await state.commit([]);
      expect(await byEnd(10, 10)).toEqual([
        `${rowKey(['a'])} 0-10 ${rowKey(['a', 1])}`,
        `${rowKey(['b'])} 0-10 ${rowKey(['b', 1])}`,
        `${rowKey(['c'])} 0-10 ${rowKey(['c', 1])}`,
      ]);
      // Blind writes over committed state (the cache keeps nothing at this budget).
      windows.blindPut(['a'], { start: 0, end: 10 }, null);
      windows.blindPut(['b'], { start: 0, end: 10 }, ['b', 9]);
      windows.blindPut(['d'], { start: 5, end: 15 }, ['d', 1]);
      expect(await byEnd(10, 10)).toHaveLength(3);
      await state.commit([]);
      expect(await byEnd(Number.NEGATIVE_INFINITY, 15)).toEqual([
        `${rowKey(['b'])} 0-10 ${rowKey(['b', 9])}`,
        `${rowKey(['c'])} 0-10 ${rowKey(['c', 1])}`,
        `${rowKey(['d'])} 5-15 ${rowKey(['d', 1])}`,
      ]);
      expect(await byEnd(16, Number.POSITIVE_INFINITY)).toHaveLength(3);
      // A key written blind is read only after a prefetch, which merges DuckDB's windows under
      // the ones written.
      windows.blindPut(['c'], { start: 10, end: 20 }, ['c', 7]);
      expect(() => windows.fetch(['c'], 0, 100)).toThrow(StateNotLoadedError);
      await windows.prefetch([['c']]);
      expect(windows.fetch(['c'], 0, 100).map((e) => [e.window.start, e.value[1]])).toEqual([
        [0, 1],
        [10, 7],
      ]);
    });

    it('keeps several timestamped values per key in a multi-map, expired by timestamp', async () => {
      const state = await openStore({ cacheBytes: 1 });
      const buffer = await state.multiMapStore('join-left');
      const key = [7n];
      await buffer.prefetch([key]);
      buffer.add(key, 100, ['a']);
      buffer.add(key, 50, ['b']);
      buffer.add(key, 100, ['c']);
      await state.commit([]);
      await buffer.prefetch([key]);
      buffer.add(key, 100, ['d']);
      expect(buffer.fetch(key, 0, 100).map((v) => [v.timestamp, v.value[0]])).toEqual([
        [50, 'b'],
        [100, 'a'],
        [100, 'c'],
        [100, 'd'],
      ]);
      expect(buffer.fetch(key, 60, 99)).toEqual([]);
      buffer.expireBefore(100);
      await state.commit([]);
      await buffer.prefetch([key]);
      expect(buffer.fetch(key, 0, 1000).map((v) => v.value[0])).toEqual(['a', 'c', 'd']);
    });

    it('adds to a multi-map key without a prefetch, and lists every value', async () => {
      const first = await openStore({ cacheBytes: 1 });
      const buffer = await first.multiMapStore('m');
      buffer.add(['k'], 10, ['a']);
      buffer.add(['j'], 5, ['x']);
      await first.commit([]);
      // Evicted (budget of one byte): the next add is blind, and the key must be prefetched to fetch.
      buffer.add(['k'], 10, ['b']);
      buffer.add(['k'], 20, ['c']);
      expect(() => buffer.fetch(['k'], 0, 100)).toThrow(StateNotLoadedError);
      await buffer.prefetch([['k']]);
      expect(buffer.fetch(['k'], 0, 100).map((v) => [v.timestamp, v.value[0]])).toEqual([
        [10, 'a'],
        [10, 'b'],
        [20, 'c'],
      ]);
      await first.commit([]);
      const listed: string[] = [];
      for await (const e of buffer.entries()) listed.push(`${e.key[0]}@${e.timestamp}=${e.value[0]}`);
      expect(listed.sort()).toEqual(['j@5=x', 'k@10=a', 'k@10=b', 'k@20=c']);
    });

    it('rejects times that are not whole milliseconds when written, not at the commit', async () => {
      const state = await openStore();
      const windows = await state.windowStore('w');
      const buffer = await state.multiMapStore('m');
      expect(() => windows.put(['k'], { start: 0.5, end: 10 }, [1])).toThrow(RangeError);
      expect(() => buffer.add(['k'], Number.NaN, [1])).toThrow(RangeError);
      buffer.add(['k'], 5, [1]);
      await state.commit([]);
      expect(buffer.fetch(['k'], 0, 10)).toEqual([{ timestamp: 5, value: [1] }]);
    });

    it('round-trips every kind of value exactly through DuckDB', async () => {
      const state = await openStore({ cacheBytes: 1 });
      const kv = await state.keyValueStore('values');
      const row = everyValueKind();
      kv.put(row, row);
      await state.commit([]);
      await kv.prefetch([row]);
      const read = kv.get(row);
      expect(read).toBeDefined();
      expect(read).toHaveLength(row.length);
      for (const [i, expected] of row.entries()) {
        const actual = read![i] ?? null;
        expect(valuesEqual(actual, expected), `value ${i}`).toBe(true);
        expect(typeof actual).toBe(typeof expected);
      }
      expect(Object.is(read![4], -0)).toBe(true);
      expect((read![16] as Decimal).toFixed()).toBe('12345678901234567890.123456789');
      expect([...(read![25] as Map<SqlValue, SqlValue>).keys()]).toEqual([3n, 1n]);
      expect(read![22]).toBeInstanceOf(Uint8Array);
    });

    it('scans every entry: pending writes from memory, the rest from DuckDB', async () => {
      const state = await openStore({ cacheBytes: 1 });
      const kv = await state.keyValueStore('kv');
      const windows = await state.windowStore('w');
      await windows.prefetch([['a'], ['b']]);
      for (let i = 0; i < 50; i++) kv.put([i], [`v${i}`]);
      windows.put(['a'], { start: 0, end: 10 }, [1]);
      windows.put(['a'], { start: 10, end: 20 }, [2]);
      windows.put(['b'], { start: 0, end: 10 }, [3]);
      await state.commit([]);
      await kv.prefetch([[1], [2], [60]]);
      kv.put([1], ['changed']);
      kv.delete([2]);
      kv.put([60], ['new']);
      await windows.prefetch([['a']]);
      windows.expireBefore(15);
      const scanned = new Map<string, SqlValue>();
      for await (const e of kv.entries()) {
        expect(scanned.has(rowKey(e.key))).toBe(false);
        scanned.set(rowKey(e.key), e.value[0] ?? null);
      }
      expect(scanned.size).toBe(50);
      expect(scanned.get(rowKey([1]))).toBe('changed');
      expect(scanned.has(rowKey([2]))).toBe(false);
      expect(scanned.get(rowKey([60]))).toBe('new');
      expect(scanned.get(rowKey([49]))).toBe('v49');
      const windowRows: string[] = [];
      for await (const e of windows.entries())
        windowRows.push(`${rowKey(e.key)} ${e.window.start} ${rowKey(e.value)}`);
      expect(windowRows).toEqual([`${rowKey(['a'])} 10 ${rowKey([2])}`]);
    });

    it('refuses a commit while another is in progress, writing nothing twice', async () => {
      const state = await openStore({ cacheBytes: 1 });
      const kv = await state.keyValueStore('kv');
      kv.put(['a'], [1]);
      const first = state.commit([]);
      await expect(state.commit([])).rejects.toThrow(/in progress/);
      await first;
      const keys: StateRow[] = [];
      for await (const e of kv.entries()) keys.push(e.key);
      expect(keys).toEqual([['a']]);
    });

    it('quotes store names: any name is a store of its own', async () => {
      const state = await openStore();
      const odd = await state.keyValueStore('q"1; DROP TABLE sluice_state_stores; --');
      const plain = await state.keyValueStore('q1');
      odd.put(['k'], ['odd']);
      plain.put(['k'], ['plain']);
      await state.commit([]);
      expect(odd.get(['k'])).toEqual(['odd']);
      expect(plain.get(['k'])).toEqual(['plain']);
      await expect(state.windowStore('q1')).rejects.toThrow(/keyValue store/);
    });

    it('returns changelog records of each commit: key bytes to value bytes or a tombstone', async () => {
      const state = await openStore();
      const kv = await state.keyValueStore('kv');
      kv.put(['a'], [1]);
      kv.put(['b'], [2]);
      const first = await state.commit([]);
      expect(first.get('kv')).toHaveLength(2);
      kv.delete(['a']);
      const second = await state.commit([]);
      expect(second.get('kv')?.map((r) => r.value)).toEqual([null]);
      expect(second.get('kv')?.[0]?.key).toEqual(first.get('kv')?.[0]?.key);
      expect((await state.commit([])).size).toBe(0);
    });

    it('gives the same results with a tiny cache as with an unbounded one (seeded)', async () => {
      const model = await runWorkload(new ModelStateStore(), 11);
      const unbounded = await runWorkload(await openStore({}, 'unbounded'), 11);
      const budget = 2_000;
      const tinyState = await openStore({ cacheBytes: budget }, 'tiny');
      const afterCommits: number[] = [];
      const tiny = await runWorkload(tinyState, 11, async () => {
        afterCommits.push(tinyState.cachedBytes());
      });
      expect(Math.max(...afterCommits)).toBeLessThanOrEqual(budget);
      expect(unbounded.stateBytes).toBeGreaterThan(20 * budget);
      expect(unbounded.observed).toEqual(model.observed);
      expect(tiny.observed).toEqual(model.observed);
      expect(model.observed.length).toBeGreaterThan(1000);
    });

    if (!durable) return;

    it('resumes committed values and positions after a reopen', async () => {
      const state = await openStore();
      const kv = await state.keyValueStore('kv');
      const windows = await state.windowStore('w');
      kv.put(['a'], [1n]);
      windows.put(['a'], { start: 0, end: 10 }, [2n]);
      await state.commit([
        { topic: TOPIC, partition: 0, offset: 10n },
        { topic: TOPIC, partition: 1, offset: 2n ** 62n },
      ]);
      kv.put(['a'], [5n]);
      await state.commit([{ topic: TOPIC, partition: 0, offset: 12n }]);
      await state.close();

      const reopened = await openStore();
      expect(await reopened.committedPositions()).toEqual([
        { topic: TOPIC, partition: 0, offset: 12n },
        { topic: TOPIC, partition: 1, offset: 2n ** 62n },
      ]);
      const kv2 = await reopened.keyValueStore('kv');
      const windows2 = await reopened.windowStore('w');
      await kv2.prefetch([['a']]);
      await windows2.prefetch([['a']]);
      expect(kv2.get(['a'])).toEqual([5n]);
      expect(windows2.fetch(['a'], 0, 0)).toEqual([{ window: { start: 0, end: 10 }, value: [2n] }]);
    });

    it('loses writes and positions that were never committed (close without commit)', async () => {
      const state = await openStore();
      const kv = await state.keyValueStore('kv');
      kv.put(['kept'], [1]);
      await state.commit([{ topic: TOPIC, partition: 0, offset: 1n }]);
      kv.put(['lost'], [2]);
      kv.put(['kept'], [3]);
      await state.close();

      const reopened = await openStore();
      const kv2 = await reopened.keyValueStore('kv');
      await kv2.prefetch([['kept'], ['lost']]);
      expect(kv2.get(['kept'])).toEqual([1]);
      expect(kv2.get(['lost'])).toBeUndefined();
      expect(await reopened.committedPositions()).toEqual([{ topic: TOPIC, partition: 0, offset: 1n }]);
    });

    it('rebuilds a deleted state file from the changelog topic', async () => {
      const log = new MemoryLog();
      const topics = { kv: 'changelog-kv', w: 'changelog-w', m: 'changelog-m' } as const;
      for (const topic of Object.values(topics)) {
        await log.ensureTopic(topic, { partitions: 2, config: { cleanupPolicy: 'compact' } });
      }
      const appendChangelog = async (batch: ChangelogBatch) => {
        for (const [store, records] of batch) {
          await log.append(topics[store as keyof typeof topics], [...records]);
        }
      };
      const original = await openStore({ cacheBytes: 4_000 });
      const workload = await runWorkload(original, 5, appendChangelog);
      const snapshot = await readEverything(original);
      await original.close();
      open.splice(open.indexOf(original), 1);
      await harness.wipe();
      log.compact(topics.kv, { dropTombstones: false });

      const rebuilt = await openStore({ cacheBytes: 4_000 });
      expect(await rebuilt.committedPositions()).toEqual([]);
      const progress: Array<[number, number]> = [];
      await restoreFromLog(log, topics.kv, await rebuilt.keyValueStore('kv'), {
        onProgress: (p) => progress.push([p.restored, p.total]),
        batchSize: 50,
      });
      const windows = await rebuilt.windowStore('w');
      const buffer = await rebuilt.multiMapStore('m');
      await restoreFromLog(log, topics.w, windows);
      await restoreFromLog(log, topics.m, buffer);
      // Expiry writes no changelog: the operator expires again from its stream time.
      windows.expireBefore(workload.windowsExpiredBefore);
      buffer.expireBefore(workload.bufferExpiredBefore);
      const last = progress.at(-1)!;
      expect(last[0]).toBe(last[1]);
      expect(last[1]).toBeGreaterThan(0);
      expect(await readEverything(rebuilt)).toEqual(snapshot);
    });
  });
}

const KEY_SPACE = 300;

function keyOf(i: number): StateRow {
  return i % 3 === 0 ? [BigInt(i) * 2n ** 40n] : [`key-${i}`, i % 7];
}

/**
 * A seeded sequence of batches over a key-value, a window and a multi-map store: each batch
 * prefetches its keys, runs reads and writes, and commits. Returns everything read, in order.
 */
async function runWorkload(
  state: StateStore,
  seed: number,
  onCommit?: (batch: ChangelogBatch) => Promise<void>,
): Promise<{
  observed: string[];
  windowsExpiredBefore: number;
  bufferExpiredBefore: number;
  stateBytes: number;
}> {
  const random = seededRandom(seed);
  let windowsExpiredBefore = 0;
  let bufferExpiredBefore = 0;
  const kv = await state.keyValueStore('kv');
  const windows = await state.windowStore('w');
  const buffer = await state.multiMapStore('m');
  const observed: string[] = [];
  let time = 0;
  for (let batch = 0; batch < 40; batch++) {
    const keys = Array.from({ length: 20 }, () => keyOf(Math.floor(random() * KEY_SPACE)));
    await Promise.all([kv.prefetch(keys), windows.prefetch(keys), buffer.prefetch(keys)]);
    for (const [index, key] of keys.entries()) {
      // Mid-batch, so reads see entries that expired but are still in memory.
      if (batch % 5 === 4 && index === 10) {
        windowsExpiredBefore = time - 300;
        bufferExpiredBefore = time - 250;
        windows.expireBefore(windowsExpiredBefore);
        buffer.expireBefore(bufferExpiredBefore);
      }
      time += Math.floor(random() * 50);
      const id = rowKey(key);
      const choice = random();
      const before = kv.get(key);
      observed.push(`${id} kv ${before === undefined ? '-' : rowKey(before)}`);
      if (choice < 0.1) kv.delete(key);
      else kv.put(key, [((before?.[0] as bigint | undefined) ?? 0n) + 1n, new Decimal(time).div(8)]);
      const start = time - (time % 100);
      const window = { start, end: start + 100 };
      const count = (windows.get(key, window)?.[0] as number | undefined) ?? 0;
      windows.put(key, window, [count + 1]);
      observed.push(
        `${id} w ${rowKey(windows.fetch(key, start - 800, start).map((e) => e.value[0] ?? null))}`,
      );
      buffer.add(key, time, [id, time]);
      observed.push(`${id} m ${buffer.fetch(key, time - 800, time).length}`);
    }
    const changelog = await state.commit([{ topic: TOPIC, partition: 0, offset: BigInt(batch + 1) }]);
    await onCommit?.(changelog);
    if (batch % 10 === 5) observed.push(...(await scanned(kv, windows)));
  }
  return { observed, windowsExpiredBefore, bufferExpiredBefore, stateBytes: state.cachedBytes() };
}

/** Every entry the scans return, in a stable order. */
async function scanned(kv: KeyValueStore, windows: WindowStore): Promise<string[]> {
  const lines: string[] = [];
  for await (const e of kv.entries()) lines.push(`scan kv ${rowKey(e.key)} ${rowKey(e.value)}`);
  for await (const e of windows.entries()) {
    lines.push(`scan w ${rowKey(e.key)} ${e.window.start} ${e.window.end} ${rowKey(e.value)}`);
  }
  return lines.sort();
}

/** Every key of the workload's key space, read through all three stores. */
async function readEverything(state: StateStore): Promise<string[]> {
  const kv = await state.keyValueStore('kv');
  const windows = await state.windowStore('w');
  const buffer = await state.multiMapStore('m');
  const keys = Array.from({ length: KEY_SPACE }, (_, i) => keyOf(i));
  await Promise.all([kv.prefetch(keys), windows.prefetch(keys), buffer.prefetch(keys)]);
  const out: string[] = [];
  for (const key of keys) {
    const value = kv.get(key);
    out.push(`${rowKey(key)} ${value === undefined ? '-' : rowKey(value)}`);
    for (const e of windows.fetch(key, -1e15, 1e15)) out.push(`  w ${e.window.start} ${rowKey(e.value)}`);
    for (const e of buffer.fetch(key, -1e15, 1e15)) out.push(`  m ${e.timestamp} ${rowKey(e.value)}`);
  }
  expect(out.length).toBeGreaterThan(KEY_SPACE);
  return out;
}
