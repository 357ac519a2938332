import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import type { ProducerRecord } from '../../../engine/log/log.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-restore-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function records(n: number, keys: number): ProducerRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    key: Buffer.from(`k${i % keys}`),
    value: Buffer.from(JSON.stringify({ V: i })),
    timestamp: i,
  }));
}

async function pull(engine: Engine, sql: string): Promise<string[]> {
  const query = await engine.query(sql);
  const rows: string[] = [];
  for await (const row of query)
    rows.push(JSON.stringify(row.values, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)));
  return rows.sort();
}

async function describeStatistics(engine: Engine, name: string): Promise<string> {
  const [result] = await engine.execute(`DESCRIBE ${name} EXTENDED;`);
  const entity = result!.entity as unknown as { sourceDescription: { statistics: string } };
  return entity.sourceDescription.statistics;
}

describe('restore progress', () => {
  it('is reported while a materialized table is built from its topic: log lines and DESCRIBE EXTENDED', async () => {
    const log = new MemoryLog({ clock: () => 0 });
    await log.ensureTopic('big', { partitions: 2 });
    await log.append('big', records(25_000, 3_000));
    const lines: string[] = [];
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      serverLog: (line) => lines.push(line),
    });
    await engine.execute(
      "CREATE SOURCE TABLE big (id STRING PRIMARY KEY, v INT) WITH (kafka_topic='big', value_format='JSON');",
    );
    // Opened, nothing read yet.
    expect(engine.restoreStatuses()).toEqual([
      { owner: 'table BIG', store: 'Materialized', restored: 0, total: 25_000, done: false },
    ]);
    expect(await describeStatistics(engine, 'big')).toBe(
      'state-restore table BIG Materialized: 0/25000 records (restoring)',
    );
    await engine.runUntilIdle();
    expect(engine.restoreStatuses()).toEqual([
      { owner: 'table BIG', store: 'Materialized', restored: 25_000, total: 25_000, done: true },
    ]);
    expect(lines[0]).toBe('restoring table BIG store Materialized: 25000 records to restore');
    expect(lines).toContain('restoring table BIG store Materialized: 10000 of 25000 records');
    expect(lines).toContain('restoring table BIG store Materialized: 20000 of 25000 records');
    expect(lines.at(-1)).toBe('restored table BIG store Materialized: 25000 of 25000 records');
    expect(await describeStatistics(engine, 'big')).toBe(
      'state-restore table BIG Materialized: 25000/25000 records (restored)',
    );
    expect(await pull(engine, "SELECT * FROM big WHERE id = 'k7';")).toHaveLength(1);
    await engine.close();
  });

  it("is reported while a query's store is rebuilt from its changelog after its state file was deleted", async () => {
    const dir = stateDir();
    const log = new MemoryLog({ clock: () => 0 });
    const statements = async (engine: Engine) => {
      await engine.execute(
        "CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='s', partitions=1, value_format='JSON');",
      );
      const [created] = await engine.execute(
        'CREATE TABLE t AS SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s GROUP BY k;',
      );
      return created!.queryId!;
    };
    const config = { 'auto.offset.reset': 'earliest', 'ksql.streams.state.dir': dir };
    const first = new Engine({ log, registry: builtinFunctions, deterministic: true, config });
    const queryId = await statements(first);
    await log.append('s', records(4_000, 700));
    await first.runUntilIdle();
    const before = await pull(first, 'SELECT * FROM t;');
    expect(before).toHaveLength(700);
    await first.close();

    rmSync(dir, { recursive: true, force: true });
    const lines: string[] = [];
    const second = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      config,
      serverLog: (line) => lines.push(line),
    });
    expect(await statements(second)).toBe(queryId);
    await second.runUntilIdle();
    const store = second.restoreStatuses().find((s) => s.owner === queryId);
    expect(store).toMatchObject({ store: 'Aggregate-Aggregate-Materialize', done: true });
    expect(store!.total).toBeGreaterThanOrEqual(700);
    expect(store!.restored).toBe(store!.total);
    expect(lines).toContain(
      `restored ${queryId} store Aggregate-Aggregate-Materialize: ${store!.total} of ${store!.total} records`,
    );
    // The table itself was rebuilt from its topic too, and answers as before.
    expect(second.restoreStatuses().find((s) => s.owner === 'table T')).toMatchObject({ done: true });
    expect(await describeStatistics(second, 't')).toContain(
      `state-restore ${queryId} Aggregate-Aggregate-Materialize`,
    );
    expect(await pull(second, 'SELECT * FROM t;')).toEqual(before);
    await second.close();
  });
});
