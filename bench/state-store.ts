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
  /** insert / appender, per CPU-second. */
  readonly insertRatio: number;
  /** update / appender, per CPU-second. */
  readonly updateRatio: number;
}

async function measureAsync(rows: number, body: () => Promise<void>): Promise<RateMeasurement> {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  await body();
  const used = process.cpuUsage(cpu);
  const wallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    rows,
    cpuSeconds,
    wallSeconds,
    rowsPerCpuSecond: rows / cpuSeconds,
    rowsPerWallSecond: rows / wallSeconds,
  };
}

function keyOf(i: number): StateRow {
  return [BigInt(1_000_000 + i)];
}

function aggregateValue(i: number, round: number): StateRow {
  return [BigInt(round + 1), new Decimal(i).div(100).plus(round), (i * 37) % 100_000, `channel-${i % 4}`];
}

export async function runStateStoreBench(
  keys = 100_000,
  commitEvery = 10_000,
): Promise<StateStoreBenchResult> {
  const folder = await mkdtemp(join(tmpdir(), 'sluice-bench-state-'));
  try {
    const rows = Array.from({ length: keys }, (_, i) => ({
      key: encodeKey(keyOf(i)),
      value: encodeRow(aggregateValue(i, 0)),
    }));
    const appender = await measureAsync(keys, () =>
      appendToPlainTable(join(folder, 'reference.duckdb'), rows, { threads: 1 }),
    );

    const state = await DuckDBStateStore.open(join(folder, 'state.duckdb'), { threads: 1 });
    try {
      const store = await state.keyValueStore('aggregate');
      const pass = async (round: number) => {
        for (let from = 0; from < keys; from += commitEvery) {
          const batch = Array.from({ length: Math.min(commitEvery, keys - from) }, (_, j) => keyOf(from + j));
          await store.prefetch(batch);
          for (let j = 0; j < batch.length; j++) store.put(batch[j]!, aggregateValue(from + j, round));
          await state.commit([
            { topic: 'bids', partition: 0, offset: BigInt(round * keys + from + batch.length) },
          ]);
        }
      };
      const insert = await measureAsync(keys, () => pass(0));
      const update = await measureAsync(keys, () => pass(1));
      return {
        appender,
        insert,
        update,
        insertRatio: insert.rowsPerCpuSecond / appender.rowsPerCpuSecond,
        updateRatio: update.rowsPerCpuSecond / appender.rowsPerCpuSecond,
      };
    } finally {
      await state.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
