import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { PersistentQuery } from '../../../engine/runtime/persistent-query.js';
import { commitIntervalMs, DEFAULT_COMMIT_INTERVAL_MS } from '../../../engine/state/open-state-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe('ksql.streams.commit.interval.ms', () => {
  it('is read with or without the ksql.streams prefix, else the default', () => {
    expect(commitIntervalMs(config({}))).toBe(DEFAULT_COMMIT_INTERVAL_MS);
    expect(commitIntervalMs(config({ 'ksql.streams.commit.interval.ms': '100' }))).toBe(100);
    expect(commitIntervalMs(config({ 'commit.interval.ms': '0' }))).toBe(0);
    expect(
      commitIntervalMs(config({ 'ksql.streams.commit.interval.ms': '50', 'commit.interval.ms': '70' })),
    ).toBe(50);
    expect(commitIntervalMs(config({ 'ksql.streams.commit.interval.ms': 'soon' }))).toBe(
      DEFAULT_COMMIT_INTERVAL_MS,
    );
  });

  /** The source offsets a query's state file covers after two batches, one run each. */
  async function committedAfterTwoBatches(interval: string): Promise<bigint[]> {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-commit-'));
    dirs.push(dir);
    const log = new MemoryLog({ clock: () => 0 });
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      config: {
        'auto.offset.reset': 'earliest',
        'ksql.streams.state.dir': dir,
        'ksql.streams.commit.interval.ms': interval,
      },
    });
    await engine.execute(
      "CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='s', partitions=1, value_format='JSON');",
    );
    await engine.execute('CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;');
    const query = engine.persistentQueries().find((q) => q instanceof PersistentQuery) as PersistentQuery;
    const record = (timestamp: number) => ({
      key: Buffer.from('a'),
      value: Buffer.from('{"V":1}'),
      timestamp,
    });
    const committed: bigint[] = [];
    for (const batch of [[record(1), record(2)], [record(3)]]) {
      await log.append('s', batch);
      await engine.runUntilIdle();
      const positions = await query.stateStoreInUse!.committedPositions();
      committed.push(positions[0]?.offset ?? -1n);
    }
    await engine.close();
    return committed;
  }

  it('sets how often state on disk commits with its source positions', async () => {
    // The first batch commits at once; within an hour-long interval the second waits.
    expect(await committedAfterTwoBatches('3600000')).toEqual([2n, 2n]);
    expect(await committedAfterTwoBatches('0')).toEqual([2n, 3n]);
  });
});
