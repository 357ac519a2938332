import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import type { ProducerRecord } from '../../engine/log/log.js';
import { describeKafka, readTopic, uniqueName, waitCommitted } from '../support/kafka.js';

const BASE = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function record(key: string, value: unknown, timestamp: number): ProducerRecord {
  return { key: Buffer.from(key), value: Buffer.from(JSON.stringify(value)), timestamp };
}

function keys(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/**
 * The input, step by step; each step's records are all processed before the next step is
 * written. The stream-stream join is WITHIN 1 HOUR GRACE PERIOD 1 HOUR, so records of the
 * first two steps wait in its buffers (and outer non-matches in its pending store) across
 * the restarts between the steps, until step 3 moves stream time three hours on.
 */
function steps(): Record<'L' | 'R' | 'T', ProducerRecord[]>[] {
  return [
    // Table rows first, so the stream-table join finds them.
    { L: [], R: [], T: keys(0, 30).map((k) => record(`k${k}`, { NAME: `n${k}` }, BASE)) },
    {
      L: keys(0, 20).map((k) => record(`k${k}`, { V: k }, BASE + k * 1000)),
      R: keys(0, 5).map((k) => record(`k${k}`, { W: k }, BASE + k * 1000 + 500)),
      T: [],
    },
    // After the first restart: right records meet left records buffered before it.
    {
      L: keys(20, 30).map((k) => record(`k${k}`, { V: k }, BASE + 30 * MINUTE + k * 1000)),
      R: keys(5, 10).map((k) => record(`k${k}`, { W: k }, BASE + 30 * MINUTE + k * 1000)),
      T: keys(0, 10).map((k) => record(`k${k}`, { NAME: `m${k}` }, BASE + 30 * MINUTE)),
    },
    // After the second restart (state file deleted): every open window closes.
    {
      L: keys(0, 10).map((k) => record(`k${k}`, { V: 100 + k }, BASE + 3 * HOUR + k * 1000)),
      R: keys(20, 25).map((k) => record(`k${k}`, { W: k }, BASE + 3 * HOUR + k * 1000)),
      T: [],
    },
  ];
}

describeKafka('join state stopped and restarted on a real broker', (bootstrapServers) => {
  const client = new KafkaLog({ bootstrapServers, clientId: 'sluice-join-restart-test' });
  const dirs: string[] = [];
  afterAll(async () => {
    await client.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** An engine running both join queries; the same statements give the same query ids. */
  async function start(name: string, dir: string) {
    const log = new KafkaLog({ bootstrapServers, clientId: `sluice-${name}` });
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      config: {
        'auto.offset.reset': 'earliest',
        'ksql.service.id': `${name}_svc_`,
        'ksql.streams.state.dir': dir,
      },
    });
    await engine.execute(`
      CREATE STREAM ${name}_l (k STRING KEY, v INT) WITH (kafka_topic='${name}_l', partitions=1, value_format='JSON');
      CREATE STREAM ${name}_r (k STRING KEY, w INT) WITH (kafka_topic='${name}_r', partitions=1, value_format='JSON');
      CREATE TABLE ${name}_t (k STRING PRIMARY KEY, name STRING) WITH (kafka_topic='${name}_t', partitions=1, value_format='JSON');
    `);
    const [windowed] = await engine.execute(
      `CREATE STREAM ${name}_ss WITH (kafka_topic='${name}_ss') AS SELECT l.k, v, w FROM ${name}_l l LEFT JOIN ${name}_r r WITHIN 1 HOUR GRACE PERIOD 1 HOUR ON l.k = r.k;`,
    );
    const [table] = await engine.execute(
      `CREATE STREAM ${name}_st WITH (kafka_topic='${name}_st') AS SELECT l.k, v, t.name FROM ${name}_l l LEFT JOIN ${name}_t t ON l.k = t.k;`,
    );
    const group = (queryId: string | undefined) => `_confluent-ksql-${name}_svc_query_${queryId}`;
    return {
      windowedGroup: group(windowed!.queryId),
      tableGroup: group(table!.queryId),
      close: async () => {
        await engine.close();
        await log.close();
      },
    };
  }

  /** Runs the steps, restarting before step 2 and (state file deleted) before step 3. */
  async function run(name: string, restart: boolean): Promise<{ ss: string[]; st: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-join-restart-'));
    dirs.push(dir);
    let engine = await start(name, dir);
    const written = { L: 0, R: 0, T: 0 };
    for (const [i, step] of steps().entries()) {
      if (restart && i >= 2) {
        await engine.close();
        if (i === 3) {
          const files = readdirSync(dir).filter((f) => f.endsWith('.duckdb'));
          expect(files).toHaveLength(2);
          for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true });
        }
        engine = await start(name, dir);
      }
      for (const side of ['T', 'L', 'R'] as const) {
        if (step[side].length === 0) continue;
        await client.append(`${name}_${side.toLowerCase()}`, step[side]);
        written[side] += step[side].length;
      }
      await waitCommitted(client, engine.windowedGroup, [`${name}_l`, `${name}_r`], written.L + written.R);
      await waitCommitted(client, engine.tableGroup, [`${name}_l`, `${name}_t`], written.L + written.T);
    }
    await engine.close();
    const read = async (topic: string) => {
      const ends = await client.endOffsets(topic);
      const records = await readTopic(
        client,
        topic,
        ends.reduce((sum, p) => sum + Number(p.offset), 0),
      );
      return records.map((r) => `${r.key?.toString()} ${r.value?.toString()} @${r.timestamp - BASE}`).sort();
    };
    return { ss: await read(`${name}_ss`), st: await read(`${name}_st`) };
  }

  it('a stream-stream LEFT JOIN and a stream-table join give the uninterrupted output after restarts and a lost state file', async () => {
    const base = uniqueName('jr').replaceAll('-', '_');
    const expected = await run(`${base}_u`, false);
    // What the uninterrupted run must hold: matches across the restart points, and each
    // outer non-match once.
    expect(expected.ss.filter((r) => r.startsWith('k7 ') && r.includes('"W":7'))).toHaveLength(1);
    for (const k of [...keys(10, 20), ...keys(20, 30)]) {
      expect(expected.ss.filter((r) => r.startsWith(`k${k} `) && r.includes('"W":null'))).toHaveLength(1);
    }
    expect(expected.st.filter((r) => r.includes('"NAME":"m3"'))).toHaveLength(1);

    const actual = await run(`${base}_i`, true);
    expect(actual.ss).toEqual(expected.ss);
    expect(actual.st).toEqual(expected.st);
  }, 900_000);
});
