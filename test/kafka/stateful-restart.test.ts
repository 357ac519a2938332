import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import type { LogRecord, ProducerRecord } from '../../engine/log/log.js';
import { describeKafka, readTopic, uniqueName, waitCommitted } from '../support/kafka.js';

const PER_SEGMENT = 600;
const KEYS = 40;

/** Three segments of clicks over the same keys and hour-long windows, so later ones update earlier windows. */
function segment(n: number): ProducerRecord[] {
  const out: ProducerRecord[] = [];
  for (let i = 0; i < PER_SEGMENT; i++) {
    const j = n * PER_SEGMENT + i;
    out.push({
      key: Buffer.from(`user-${(j * 7) % KEYS}`),
      value: Buffer.from(JSON.stringify({ MS: j % 13 })),
      timestamp: 1_700_000_000_000 + (j % 5) * 1_800_000,
    });
  }
  return out;
}

/** The table a changelog of records describes: the last value of each key. */
function finalTable(records: readonly LogRecord[]): Map<string, string | undefined> {
  const table = new Map<string, string | undefined>();
  for (const r of records) table.set(r.key!.toString('hex'), r.value?.toString());
  return table;
}

describeKafka('a windowed aggregation stopped and restarted on a real broker', (bootstrapServers) => {
  const client = new KafkaLog({ bootstrapServers, clientId: 'sluice-restart-test' });
  const dirs: string[] = [];
  afterAll(async () => {
    await client.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts an engine with the statements of one run; the same statements give the same query id. */
  async function start(name: string, serviceId: string, dir: string) {
    const log = new KafkaLog({ bootstrapServers, clientId: `sluice-${serviceId}` });
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      config: {
        'auto.offset.reset': 'earliest',
        'ksql.service.id': serviceId,
        'ksql.streams.state.dir': dir,
      },
    });
    await engine.execute(
      `CREATE STREAM ${name}_clicks (user STRING KEY, ms INT) WITH (kafka_topic='${name}_in', partitions=1, value_format='JSON');`,
    );
    const [created] = await engine.execute(
      `CREATE TABLE ${name}_totals WITH (kafka_topic='${name}_out') AS SELECT user, COUNT(*) AS n, SUM(ms) AS total FROM ${name}_clicks WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY user;`,
    );
    const groupId = `_confluent-ksql-${serviceId}query_${created!.queryId}`;
    return {
      groupId,
      close: async () => {
        await engine.close();
        await log.close();
      },
    };
  }

  it('resumes from its state file, then rebuilds it from the changelog, and ends with the uninterrupted table', async () => {
    const base = uniqueName('restart').replaceAll('-', '_');

    // The uninterrupted run.
    const whole = `${base}_u`;
    const wholeDir = mkdtempSync(join(tmpdir(), 'sluice-restart-'));
    dirs.push(wholeDir);
    const run = await start(whole, `${whole}_svc`, wholeDir);
    await client.append(`${whole}_in`, [...segment(0), ...segment(1), ...segment(2)]);
    await waitCommitted(client, run.groupId, `${whole}_in`, 3 * PER_SEGMENT);
    await run.close();
    const expected = finalTable(await readTopic(client, `${whole}_out`, 3 * PER_SEGMENT));

    // The interrupted run: stopped after each segment; before the last, its state file is deleted.
    const parts = `${base}_i`;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-restart-'));
    dirs.push(dir);
    const serviceId = `${parts}_svc`;
    let first = await start(parts, serviceId, dir);
    await client.append(`${parts}_in`, segment(0));
    await waitCommitted(client, first.groupId, `${parts}_in`, PER_SEGMENT);
    await first.close();

    await client.append(`${parts}_in`, segment(1));
    first = await start(parts, serviceId, dir);
    await waitCommitted(client, first.groupId, `${parts}_in`, 2 * PER_SEGMENT);
    await first.close();

    const files = readdirSync(dir).filter((f) => f.endsWith('.duckdb'));
    expect(files).toHaveLength(1);
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
    await client.append(`${parts}_in`, segment(2));
    const rebuilt = await start(parts, serviceId, dir);
    await waitCommitted(client, rebuilt.groupId, `${parts}_in`, 3 * PER_SEGMENT);
    await rebuilt.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.duckdb'))).toEqual(files);

    const actual = finalTable(await readTopic(client, `${parts}_out`, 3 * PER_SEGMENT));
    expect(actual.size).toBe(expected.size);
    expect(actual).toEqual(expected);
  }, 300_000);
});
