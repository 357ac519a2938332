import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import type { ProducerRecord } from '../../engine/log/log.js';
import { describeKafka, readTopic, uniqueName, waitCommitted } from '../support/kafka.js';

const PER_SEGMENT = 400;
const SEGMENTS = 3;
const KEYS = 30;
const BASE = 1_700_000_000_000;
const STEP_MS = 500;

/**
 * Clicks half a second apart, up to 20 seconds out of order (within the 30-second grace), so
 * one-minute windows are open across each segment's end. Each segment starts with its latest
 * record; the last segment ends with a record an hour later, which closes every window.
 */
function segment(n: number): ProducerRecord[] {
  const out: ProducerRecord[] = [];
  for (let i = 0; i < PER_SEGMENT; i++) {
    const j = n * PER_SEGMENT + i;
    const late = i === 0 ? 0 : ((j * 37) % 41) * 500;
    out.push({
      key: Buffer.from(`user-${(j * 7) % KEYS}`),
      value: Buffer.from(JSON.stringify({ MS: j % 13 })),
      timestamp: BASE + j * STEP_MS - late,
    });
  }
  if (n === SEGMENTS - 1) {
    out.push({
      key: Buffer.from('user-0'),
      value: Buffer.from(JSON.stringify({ MS: 0 })),
      timestamp: BASE + SEGMENTS * PER_SEGMENT * STEP_MS + 3_600_000,
    });
  }
  return out;
}

const TOTAL = SEGMENTS * PER_SEGMENT + 1;

/** The (key, window) pairs a list of clicks falls in: one final row each once closed. */
function windowsOf(records: readonly ProducerRecord[]): Set<string> {
  return new Set(records.map((r) => `${r.key!.toString()}@${Math.floor(r.timestamp! / 60_000)}`));
}

describeKafka('EMIT FINAL stopped and restarted on a real broker', (bootstrapServers) => {
  const client = new KafkaLog({ bootstrapServers, clientId: 'sluice-final-restart-test' });
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
      `CREATE TABLE ${name}_totals WITH (kafka_topic='${name}_out') AS SELECT user, COUNT(*) AS n, SUM(ms) AS total FROM ${name}_clicks WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 2 HOURS, GRACE PERIOD 30 SECONDS) GROUP BY user EMIT FINAL;`,
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

  /** Every record of the output topic, as sorted text, after checking there are `count`. */
  async function output(topic: string): Promise<string[]> {
    const count = (await client.endOffsets(topic)).reduce((sum, p) => sum + Number(p.offset), 0);
    const records = await readTopic(client, topic, count);
    expect(records).toHaveLength(count);
    return records.map((r) => `${r.key?.toString('hex')}|${r.value?.toString()}|${r.timestamp}`).sort();
  }

  it('loses and repeats no final row across restarts, from its state file and from the changelog', async () => {
    const base = uniqueName('final').replaceAll('-', '_');
    const all = Array.from({ length: SEGMENTS }, (_, n) => segment(n));

    // The uninterrupted run.
    const whole = `${base}_u`;
    const wholeDir = mkdtempSync(join(tmpdir(), 'sluice-final-'));
    dirs.push(wholeDir);
    const run = await start(whole, `${whole}_svc`, wholeDir);
    await client.append(`${whole}_in`, all.flat());
    await waitCommitted(client, run.groupId, `${whole}_in`, TOTAL);
    await run.close();
    const expected = await output(`${whole}_out`);
    // Every (key, window) closed by the last record has its one final row.
    expect(expected).toHaveLength(windowsOf(all.flat()).size - 1);

    // The interrupted run: stopped after each segment with windows open and rows held; before
    // the last segment its state file is deleted, so the state is rebuilt from the changelogs.
    const parts = `${base}_i`;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-final-'));
    dirs.push(dir);
    const serviceId = `${parts}_svc`;
    let first = await start(parts, serviceId, dir);
    await client.append(`${parts}_in`, all[0]!);
    await waitCommitted(client, first.groupId, `${parts}_in`, PER_SEGMENT);
    await first.close();
    const afterFirst = await output(`${parts}_out`);
    expect(afterFirst.length).toBeGreaterThan(0);
    expect(afterFirst.length).toBeLessThan(windowsOf(all[0]!).size);

    await client.append(`${parts}_in`, all[1]!);
    first = await start(parts, serviceId, dir);
    await waitCommitted(client, first.groupId, `${parts}_in`, 2 * PER_SEGMENT);
    await first.close();
    expect((await output(`${parts}_out`)).length).toBeLessThan(windowsOf([...all[0]!, ...all[1]!]).size);

    const files = readdirSync(dir).filter((f) => f.endsWith('.duckdb'));
    expect(files).toHaveLength(1);
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
    await client.append(`${parts}_in`, all[2]!);
    const rebuilt = await start(parts, serviceId, dir);
    await waitCommitted(client, rebuilt.groupId, `${parts}_in`, TOTAL);
    await rebuilt.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.duckdb'))).toEqual(files);

    expect(await output(`${parts}_out`)).toEqual(expected);
  }, 300_000);
});
