import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import type { ProducerRecord } from '../../../engine/log/log.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';

const BUDGET = 16 * 1024;
const KEYS = 4000;
const UPDATES = 12_000;

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-mat-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Updates and tombstones over many keys, spread so that evicted keys come back. */
function changes(): ProducerRecord[] {
  const out: ProducerRecord[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const id = `k${(i * 7919) % KEYS}`;
    const value = i % 17 === 0 ? null : Buffer.from(JSON.stringify({ V: i, NAME: `n${i % 13}` }));
    out.push({ key: Buffer.from(id), value, timestamp: i });
  }
  return out;
}

async function pull(engine: Engine, sql: string): Promise<string[]> {
  const query = await engine.query(sql, { 'ksql.query.pull.table.scan.enabled': true });
  const rows: string[] = [];
  for await (const row of query)
    rows.push(JSON.stringify(row.values, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)));
  return rows;
}

/** A source table and a windowed aggregation over the same changes; pull query answers over both. */
async function answers(config: Record<string, string>) {
  const log = new MemoryLog({ clock: () => 0 });
  await log.ensureTopic('items', { partitions: 1 });
  await log.append('items', changes());
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: { 'auto.offset.reset': 'earliest', ...config },
  });
  await engine.execute(
    "CREATE SOURCE TABLE items (id STRING PRIMARY KEY, v INT, name STRING) WITH (kafka_topic='items', value_format='JSON');",
  );
  await engine.execute(
    "CREATE STREAM item_changes (id STRING KEY, v INT, name STRING) WITH (kafka_topic='items', value_format='JSON');",
  );
  await engine.execute(
    'CREATE TABLE per_name AS SELECT name, COUNT(*) AS n FROM item_changes WINDOW TUMBLING (SIZE 1000 MILLISECONDS) GROUP BY name;',
  );
  await engine.runUntilIdle();
  const cached = [engine.materializerOf('ITEMS')!, engine.materializerOf('PER_NAME')!].map((m) =>
    m.cachedBytes(),
  );
  const lookups: string[][] = [];
  for (let k = 0; k < KEYS; k += 97)
    lookups.push(await pull(engine, `SELECT * FROM items WHERE id = 'k${k}';`));
  lookups.push(
    await pull(engine, "SELECT id, v FROM items WHERE id IN ('k1', 'k2', 'k3', 'k5', 'k8', 'k13');"),
  );
  lookups.push(await pull(engine, "SELECT * FROM per_name WHERE name = 'n3';"));
  lookups.push(
    await pull(
      engine,
      "SELECT * FROM per_name WHERE name = 'n4' AND WINDOWSTART >= 2000 AND WINDOWSTART < 6000;",
    ),
  );
  const scans = {
    items: (await pull(engine, 'SELECT * FROM items;')).sort(),
    filtered: (await pull(engine, 'SELECT id FROM items WHERE v > 11000;')).sort(),
    windows: (await pull(engine, 'SELECT * FROM per_name;')).sort(),
  };
  await engine.close();
  return { lookups, scans, cached };
}

describe('materialized tables under a memory budget', () => {
  it('answer pull queries with a tiny budget as with an unbounded one, in memory and on disk', async () => {
    const unbounded = await answers({});
    // Live keys: every key whose last change was not a tombstone.
    expect(unbounded.scans.items.length).toBeGreaterThan(KEYS / 2);
    expect(unbounded.lookups.flat().length).toBeGreaterThan(20);
    // The unbounded source table held far more than the budget; the bounded ones stay within it.
    expect(unbounded.cached[0]).toBeGreaterThan(5 * BUDGET);

    const inMemory = await answers({ 'sluice.state.cache.max.bytes': String(BUDGET) });
    expect(inMemory.lookups).toEqual(unbounded.lookups);
    expect(inMemory.scans).toEqual(unbounded.scans);
    for (const bytes of inMemory.cached) expect(bytes).toBeLessThanOrEqual(BUDGET);

    const dir = stateDir();
    const onDisk = await answers({
      'ksql.streams.state.dir': dir,
      'sluice.state.cache.max.bytes': String(BUDGET),
    });
    expect(onDisk.lookups).toEqual(unbounded.lookups);
    expect(onDisk.scans).toEqual(unbounded.scans);
    for (const bytes of onDisk.cached) expect(bytes).toBeLessThanOrEqual(BUDGET);
    // One state file per materialized table, apart from the query's.
    expect(readdirSync(join(dir, 'materialized')).filter((f) => f.endsWith('.duckdb'))).toHaveLength(2);
  }, 180_000);

  it('DROP TABLE deletes the table state file', async () => {
    const dir = stateDir();
    const log = new MemoryLog({ clock: () => 0 });
    await log.ensureTopic('t', { partitions: 1 });
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      config: { 'ksql.streams.state.dir': dir },
    });
    await engine.execute(
      "CREATE SOURCE TABLE t (id STRING PRIMARY KEY, v INT) WITH (kafka_topic='t', value_format='JSON');",
    );
    const file = join(dir, 'materialized', 'table_default_T.duckdb');
    expect(existsSync(file)).toBe(true);
    await engine.execute('DROP TABLE t;');
    expect(existsSync(file)).toBe(false);
    await engine.close();
  });

  it('answers key lookups in memory without DuckDB, loads missing keys in one batch, and scans concurrently', async () => {
    const dir = stateDir();
    const log = new MemoryLog({ clock: () => 0 });
    await log.ensureTopic('items', { partitions: 1 });
    await log.append('items', changes());
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      config: { 'ksql.streams.state.dir': dir, 'sluice.state.cache.max.bytes': String(BUDGET) },
    });
    await engine.execute(
      "CREATE SOURCE TABLE items (id STRING PRIMARY KEY, v INT, name STRING) WITH (kafka_topic='items', value_format='JSON');",
    );
    await engine.runUntilIdle();
    const store = engine.materializerOf('ITEMS')!.table.store;
    const prefetch = vi.spyOn(store, 'prefetch');
    // Cold keys: one batch for all of them.
    const ids = ['k1', 'k2', 'k3', 'k5', 'k8', 'k13', 'k21'];
    const list = ids.map((id) => `'${id}'`).join(', ');
    const cold = await pull(engine, `SELECT id, v FROM items WHERE id IN (${list});`);
    expect(prefetch).toHaveBeenCalledTimes(1);
    expect([...prefetch.mock.calls[0]![0]]).toHaveLength(ids.length);
    // The same keys again: in memory now, so no load at all.
    expect(await pull(engine, `SELECT id, v FROM items WHERE id IN (${list});`)).toEqual(cold);
    expect(prefetch).toHaveBeenCalledTimes(1);
    prefetch.mockRestore();

    // Two scans read at the same time each see every row.
    const [a, b] = await Promise.all([
      pull(engine, 'SELECT * FROM items;'),
      pull(engine, 'SELECT * FROM items;'),
    ]);
    expect(a.length).toBeGreaterThan(KEYS / 2);
    expect(b.sort()).toEqual(a.sort());
    await engine.close();
  }, 120_000);

  it('keeps the rows in memory when another engine of this process has the table file open', async () => {
    const dir = stateDir();
    const log = new MemoryLog({ clock: () => 0 });
    await log.ensureTopic('items', { partitions: 1 });
    await log.append('items', changes());
    const lines: string[] = [];
    const engines = [0, 1].map(
      () =>
        new Engine({
          log,
          registry: builtinFunctions,
          deterministic: true,
          config: { 'ksql.streams.state.dir': dir },
          serverLog: (line) => lines.push(line),
        }),
    );
    for (const engine of engines) {
      await engine.execute(
        "CREATE SOURCE TABLE items (id STRING PRIMARY KEY, v INT, name STRING) WITH (kafka_topic='items', value_format='JSON');",
      );
      await engine.runUntilIdle();
    }
    expect(engines.map((e) => e.materializerOf('ITEMS')!.onDisk)).toEqual([true, false]);
    expect(lines).toContain(
      'materialized table ITEMS: its state file is open in another engine; rows kept in memory',
    );
    const [a, b] = await Promise.all(engines.map((e) => pull(e, 'SELECT * FROM items;')));
    expect(b!.sort()).toEqual(a!.sort());
    for (const engine of engines) await engine.close();
  });
});
