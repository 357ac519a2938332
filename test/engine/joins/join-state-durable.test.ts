import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import type { ProducerRecord } from '../../../engine/log/log.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import type { JoinPipelinePlan } from '../../../engine/plan/join-plan.js';
import { JoinQuery } from '../../../engine/runtime/joins/join-query.js';
import { ProcessingLog } from '../../../engine/runtime/processing-log.js';
import { seededRandom } from '../state/state-store-contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-join-durable-'));
  dirs.push(dir);
  return dir;
}

type Segment = Record<string, ProducerRecord[]>;

/** A fresh log with the statements' topics, and the plan of the last statement's join query. */
async function setup(ddl: string): Promise<{ log: MemoryLog; plan: JoinPipelinePlan }> {
  const log = new MemoryLog({ clock: () => 0 });
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: { 'auto.offset.reset': 'earliest' },
  });
  await engine.execute(ddl);
  const plan = engine.persistentQueries().at(-1)!.plan;
  await engine.close();
  if (plan.kind !== 'JoinPipeline') throw new Error('expected a join plan');
  return { log, plan };
}

async function readAll(log: MemoryLog, topic: string): Promise<string[]> {
  const reader = log.openReader({
    groupId: `check-${Math.random()}`,
    topics: [topic],
    autoOffsetReset: 'earliest',
  });
  const out: string[] = [];
  for (;;) {
    const batch = await reader.poll({ timeoutMs: 0 });
    if (batch.length === 0) break;
    for (const r of batch) out.push(`${r.key?.toString()}|${r.value?.toString()}|${r.timestamp}`);
  }
  await reader.close();
  return out;
}

interface RunOptions {
  /** Stop and reopen the query after each segment. */
  readonly restart: boolean;
  /** Delete the state file before this segment (restored from the changelog topics). */
  readonly deleteBefore?: number;
  readonly cacheBytes?: number;
}

/** Runs the join over the segments, appended one after the other; returns its output. */
async function run(ddl: string, segments: readonly Segment[], options: RunOptions): Promise<string[]> {
  const { log, plan } = await setup(ddl);
  const dir = tempDir();
  const open = () =>
    new JoinQuery(plan, log, builtinFunctions, new ProcessingLog(), {
      groupId: 'durable-join',
      autoOffsetReset: 'earliest',
      // One batch per segment: batches are processed in event-time order across the topics, so
      // runs give the same output only when their batches hold the same records.
      maxBatch: 100_000,
      state: { dir, cacheBytes: options.cacheBytes ?? Number.POSITIVE_INFINITY },
    });
  let query = open();
  for (const [i, segment] of segments.entries()) {
    for (const [topic, records] of Object.entries(segment)) await log.append(topic, records);
    if (options.restart && i > 0) {
      await query.close();
      if (options.deleteBefore === i) {
        expect(readdirSync(dir).some((f) => f.endsWith('.duckdb'))).toBe(true);
        for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true });
      }
      query = open();
    }
    await query.drain();
  }
  await query.close();
  return readAll(log, plan.sink!.topic);
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** Keyed records of two streams over `keys` keys, a second apart, some out of order. */
function streams(seed: number, count: number, keys: number): Segment[] {
  const random = seededRandom(seed);
  const segments: Segment[] = [
    { L: [], R: [] },
    { L: [], R: [] },
    { L: [], R: [] },
  ];
  for (let i = 0; i < count; i++) {
    const left = random() < 0.5;
    const key = `k${Math.floor(random() * keys)}`;
    const late = random() < 0.1 ? Math.floor(random() * 20_000) : 0;
    const record = {
      key: Buffer.from(key),
      value: json(left ? { V: i } : { W: i }),
      timestamp: 1_000_000 + i * 1000 - late,
    };
    segments[Math.floor((i * 3) / count)]![left ? 'L' : 'R']!.push(record);
  }
  return segments;
}

const STREAMS = `
  CREATE STREAM l (k STRING KEY, v INT) WITH (kafka_topic='L', partitions=1, value_format='JSON');
  CREATE STREAM r (k STRING KEY, w INT) WITH (kafka_topic='R', partitions=1, value_format='JSON');
`;

describe('join state kept in the state store', () => {
  const cases: { name: string; ddl: string; segments: () => Segment[] }[] = [
    {
      name: 'stream-stream LEFT JOIN with a grace period',
      ddl: `${STREAMS} CREATE STREAM o AS SELECT l.k, v, w FROM l LEFT JOIN r WITHIN 10 SECONDS GRACE PERIOD 5 SECONDS ON l.k = r.k;`,
      segments: () => streams(1, 2600, 30),
    },
    {
      name: 'stream-stream FULL OUTER JOIN, before and after',
      ddl: `${STREAMS} CREATE STREAM o AS SELECT ROWKEY, v, w FROM l FULL OUTER JOIN r WITHIN (3 SECONDS, 8 SECONDS) GRACE PERIOD 2 SECONDS ON l.k = r.k;`,
      segments: () => streams(2, 2600, 30),
    },
    {
      name: 'stream-stream INNER JOIN without a grace period',
      ddl: `${STREAMS} CREATE STREAM o AS SELECT l.k, v, w FROM l JOIN r WITHIN 30 SECONDS ON l.k = r.k;`,
      segments: () => streams(3, 1500, 20),
    },
    {
      name: 'stream-table LEFT JOIN',
      ddl: `${STREAMS} CREATE TABLE t (k STRING PRIMARY KEY, w INT) WITH (kafka_topic='R', partitions=1, value_format='JSON');
        CREATE STREAM o AS SELECT l.k, v, t.w FROM l LEFT JOIN t ON l.k = t.k;`,
      segments: () => streams(4, 1500, 40),
    },
    {
      name: 'foreign-key table-table JOIN',
      ddl: `CREATE TABLE a (id STRING PRIMARY KEY, fk STRING, v INT) WITH (kafka_topic='A', partitions=1, value_format='JSON');
        CREATE TABLE b (id STRING PRIMARY KEY, w INT) WITH (kafka_topic='B', partitions=1, value_format='JSON');
        CREATE TABLE o AS SELECT a.id, v, w FROM a LEFT JOIN b ON a.fk = b.id;`,
      segments: () => {
        const random = seededRandom(5);
        return [0, 1, 2].map((s) => {
          const segment: Segment = { A: [], B: [] };
          for (let i = 0; i < 300; i++) {
            const t = 1_000_000 + (s * 300 + i) * 1000;
            if (random() < 0.6) {
              const id = `a${Math.floor(random() * 60)}`;
              const value = random() < 0.1 ? null : json({ FK: `b${Math.floor(random() * 10)}`, V: i });
              segment.A!.push({ key: Buffer.from(id), value, timestamp: t });
            } else {
              const id = `b${Math.floor(random() * 10)}`;
              const value = random() < 0.1 ? null : json({ W: i });
              segment.B!.push({ key: Buffer.from(id), value, timestamp: t });
            }
          }
          return segment;
        });
      },
    },
  ];

  for (const c of cases) {
    it(`${c.name}: restarts on its state file, then from its changelog, and a tiny cache, give the uninterrupted output`, async () => {
      const segments = c.segments();
      const expected = await run(c.ddl, segments, { restart: false });
      expect(expected.length).toBeGreaterThan(100);
      expect(await run(c.ddl, segments, { restart: true })).toEqual(expected);
      expect(await run(c.ddl, segments, { restart: true, deleteBefore: 2 })).toEqual(expected);
      expect(await run(c.ddl, segments, { restart: true, cacheBytes: 1 })).toEqual(expected);
    }, 60_000);
  }
});
