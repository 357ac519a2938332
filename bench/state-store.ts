/**
 * The state store's committed put rate against DuckDB's appender, measured in the same run.
 *
 * Reference: 100k rows appended to a plain table (the store's columns, the same encoded
 * bytes) in one transaction: the floor of any write path into DuckDB.
 * Store: 100k distinct keys put into a key-value store and committed every `commitEvery`
 * keys (staging appender + set-wise DELETE/INSERT + positions in one transaction each), then
 * the same keys updated. Keys and values are aggregate-shaped: a BIGINT key; a count, a
 * DECIMAL sum, a DOUBLE max and a short string. Rates are per CPU-second of this process
 * (DuckDB runs with one thread) and per wall-second.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '../engine/catalog/values.js';
import { appendToPlainTable, DuckDBStateStore } from '../engine/state/duckdb-state-store.js';
import { encodeKey, encodeRow } from '../engine/state/row-codec.js';
import type { StateRow } from '../engine/state/state-store.js';
import { measureAsync } from './cpu.js';

export interface RateMeasurement {
  readonly rows: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly rowsPerCpuSecond: number;
  readonly rowsPerWallSecond: number;
}

export interface StateStoreBenchResult {
  /** The reference: DuckDB appender into a plain table. */
  readonly appender: RateMeasurement;
  /** New keys put and committed. */
  readonly insert: RateMeasurement;
  /** The same keys updated and committed. */
  readonly update: RateMeasurement;
  /** All keys read back cold (reopened, small cache) by prefetches of `prefetchBatch` keys. */
  readonly coldPrefetch: RateMeasurement;
  /** insert / appender, per CPU-second. */
  readonly insertRatio: number;
  /** update / appender, per CPU-second. */
  readonly updateRatio: number;
}

/** Rows per CPU- and wall-second of `body`, from the shared CPU-time measurement. */
async function measureRows(rows: number, body: () => Promise<void>): Promise<RateMeasurement> {
  const m = await measureAsync(rows, body);
  return {
    rows,
    cpuSeconds: m.cpuSeconds,
    wallSeconds: m.wallSeconds,
    rowsPerCpuSecond: m.eventsPerCpuSecond,
    rowsPerWallSecond: rows / m.wallSeconds,
  };
}

function keyOf(i: number): StateRow {
  return [BigInt(1_000_000 + i)];
}

function aggregateValue(i: number, round: number): StateRow {
  return [BigInt(round + 1), new Decimal(i).div(100).plus(round), (i * 37) % 100_000, `channel-${i % 4}`];
}

/** Measures; a smaller run first warms up the JIT so both sides are measured compiled. */
export async function runStateStoreBench(
  keys = 100_000,
  commitEvery = 10_000,
  prefetchBatch = 500,
): Promise<StateStoreBenchResult> {
  await measureOnce(Math.min(keys, 20_000), commitEvery, prefetchBatch);
  return measureOnce(keys, commitEvery, prefetchBatch);
}

async function measureOnce(
  keys: number,
  commitEvery: number,
  prefetchBatch: number,
): Promise<StateStoreBenchResult> {
  const folder = await mkdtemp(join(tmpdir(), 'sluice-bench-state-'));
  try {
    const rows = Array.from({ length: keys }, (_, i) => ({
      key: encodeKey(keyOf(i)),
      value: encodeRow(aggregateValue(i, 0)),
    }));
    const appender = await measureRows(keys, () =>
      appendToPlainTable(join(folder, 'reference.duckdb'), rows, { threads: 1 }),
    );

    // Rows are made before measuring: an operator has them in hand when it puts.
    const keyRows = Array.from({ length: keys }, (_, i) => keyOf(i));
    const inserted = Array.from({ length: keys }, (_, i) => aggregateValue(i, 0));
    const updated = Array.from({ length: keys }, (_, i) => aggregateValue(i, 1));
    const path = join(folder, 'state.duckdb');

    const state = await DuckDBStateStore.open(path, { threads: 1 });
    let insert: RateMeasurement;
    let update: RateMeasurement;
    try {
      const store = await state.keyValueStore('aggregate');
      const pass = async (values: readonly StateRow[], round: number) => {
        for (let from = 0; from < keys; from += commitEvery) {
          const batch = keyRows.slice(from, from + commitEvery);
          await store.prefetch(batch);
          for (let j = 0; j < batch.length; j++) store.put(batch[j]!, values[from + j]!);
          const offset = BigInt(round * keys + from + batch.length);
          await state.commit([{ topic: 'bids', partition: 0, offset }]);
        }
      };
      insert = await measureRows(keys, () => pass(inserted, 0));
      update = await measureRows(keys, () => pass(updated, 1));
    } finally {
      await state.close();
    }

    const cold = await DuckDBStateStore.open(path, { threads: 1, cacheBytes: 1_000_000 });
    let coldPrefetch: RateMeasurement;
    try {
      const store = await cold.keyValueStore('aggregate');
      coldPrefetch = await measureRows(keys, async () => {
        for (let from = 0; from < keys; from += prefetchBatch) {
          const batch = keyRows.slice(from, from + prefetchBatch);
          await store.prefetch(batch);
          for (const key of batch) store.get(key);
          await cold.commit([]);
        }
      });
    } finally {
      await cold.close();
    }
    return {
      appender,
      insert,
      update,
      coldPrefetch,
      insertRatio: insert.rowsPerCpuSecond / appender.rowsPerCpuSecond,
      updateRatio: update.rowsPerCpuSecond / appender.rowsPerCpuSecond,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
