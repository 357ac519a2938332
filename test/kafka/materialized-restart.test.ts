import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import type { ProducerRecord } from '../../engine/log/log.js';
import { describeKafka, uniqueName } from '../support/kafka.js';

const KEYS = 300;

/** Changes to items: updates over KEYS keys, every 11th a tombstone. */
function changes(from: number, count: number): ProducerRecord[] {
  return Array.from({ length: count }, (_, j) => {
    const i = from + j;
    const id = `k${(i * 37) % KEYS}`;
    return {
      key: Buffer.from(id),
      value: i % 11 === 0 ? null : Buffer.from(JSON.stringify({ V: i })),
      timestamp: 1_700_000_000_000 + i,
    };
  });
}

/** The rows a pull scan should return: the last value of each key, tombstoned keys gone. */
function expectedRows(records: readonly ProducerRecord[]): string[] {
  const table = new Map<string, number | undefined>();
  for (const r of records) {
    const id = r.key!.toString();
    table.set(id, r.value === null ? undefined : (JSON.parse(r.value!.toString()) as { V: number }).V);
  }
  return [...table]
    .filter(([, v]) => v !== undefined)
    .map(([id, v]) => JSON.stringify([id, v]))
    .sort();
}

describeKafka('a materialized table restarted on a real broker', (bootstrapServers) => {
  const client = new KafkaLog({ bootstrapServers, clientId: 'sluice-mat-restart-test' });
  const dirs: string[] = [];
  afterAll(async () => {
    await client.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function start(name: string, serviceId: string, dir: string) {
    const log = new KafkaLog({ bootstrapServers, clientId: `sluice-${serviceId}` });
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      config: { 'ksql.service.id': serviceId, 'ksql.streams.state.dir': dir },
    });
    await engine.execute(
      `CREATE SOURCE TABLE ${name} (id STRING PRIMARY KEY, v INT) WITH (kafka_topic='${name}_topic', partitions=2, value_format='JSON');`,
    );
    const materializer = engine.materializerOf(name.toUpperCase())!;
    const stored = async () =>
      (await materializer.committedPositions()).reduce((sum, p) => sum + Number(p.offset), 0);
    return {
      engine,
      materializer,
      stored,
      /** Waits until the stored positions cover `total` records. */
      caughtUp: async (total: number) => {
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
          if ((await stored()) >= total) return;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`${name} did not store ${total} records`);
      },
      scan: async () => {
        const rows: string[] = [];
        for await (const row of await engine.query(`SELECT id, v FROM ${name};`))
          rows.push(JSON.stringify(row.values));
        return rows.sort();
      },
      lookup: async (ids: readonly string[]) => {
        const rows: string[] = [];
        const list = ids.map((id) => `'${id}'`).join(', ');
        for await (const row of await engine.query(`SELECT id, v FROM ${name} WHERE id IN (${list});`))
          rows.push(JSON.stringify(row.values));
        return rows.sort();
      },
      close: async () => {
        await engine.close();
        await log.close();
      },
    };
  }

  it('resumes from its stored positions, and rebuilds from the topic when its file is gone', async () => {
    const name = uniqueName('mat').replaceAll('-', '_');
    const serviceId = `${name}_svc`;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-mat-restart-'));
    dirs.push(dir);
    const first = changes(0, 2000);
    const second = changes(2000, 500);
    const ids = ['k0', 'k1', 'k2', 'k3', 'k37', 'k74', 'k299'];
    const lookupOf = (rows: string[]) => rows.filter((r) => ids.includes(JSON.parse(r)[0]));

    // First run: everything the topic holds is read and stored.
    let run = await start(name, serviceId, dir);
    await client.append(`${name}_topic`, first);
    await run.caughtUp(2000);
    expect(await run.scan()).toEqual(expectedRows(first));
    await run.close();
    const file = readdirSync(join(dir, 'materialized')).filter((f) => f.endsWith('.duckdb'));
    expect(file).toHaveLength(1);

    // Restart: it resumes where its file says and reads only the records appended since.
    await client.append(`${name}_topic`, second);
    run = await start(name, serviceId, dir);
    expect(await run.stored()).toBe(2000);
    await run.caughtUp(2500);
    expect(run.materializer.recordsRead).toBe(500);
    expect(run.engine.restoreStatuses()).toEqual([
      { owner: `table ${name.toUpperCase()}`, store: 'Materialized', restored: 500, total: 500, done: true },
    ]);
    const expected = expectedRows([...first, ...second]);
    expect(await run.scan()).toEqual(expected);
    expect(await run.lookup(ids)).toEqual(lookupOf(expected));
    await run.close();

    // With the file deleted, the table is rebuilt from the whole topic and answers the same.
    rmSync(join(dir, 'materialized'), { recursive: true, force: true });
    run = await start(name, serviceId, dir);
    expect(await run.stored()).toBe(0);
    await run.caughtUp(2500);
    expect(run.materializer.recordsRead).toBe(2500);
    expect(await run.scan()).toEqual(expected);
    expect(await run.lookup(ids)).toEqual(lookupOf(expected));
    expect(existsSync(join(dir, 'materialized', file[0]!))).toBe(true);
    await run.close();
  }, 300_000);
});
