import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import type { Log } from '../../../engine/log/log.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { PersistentQuery } from '../../../engine/runtime/persistent-query.js';

const BUDGET = 16 * 1024;
const KEYS = 3000;
const EVENTS = 9000;

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-state-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function aggregations(engine: Engine): PersistentQuery[] {
  return engine.persistentQueries().filter((q): q is PersistentQuery => q instanceof PersistentQuery);
}

/** Every record of a topic, as comparable text: key bytes, value, timestamp. */
async function topicText(log: Log, topic: string): Promise<string[]> {
  const reader = log.openReader({ groupId: `read-${topic}`, topics: [topic], autoOffsetReset: 'earliest' });
  const out: string[] = [];
  for (;;) {
    const records = await reader.poll({ timeoutMs: 0 });
    if (records.length === 0) break;
    for (const r of records)
      out.push(`${r.key?.toString('hex')}|${r.value?.toString() ?? 'null'}|${r.timestamp}`);
  }
  await reader.close();
  return out;
}

/** Runs a keyed and a windowed aggregation over the same clicks; returns both outputs. */
async function aggregate(config: Record<string, string>) {
  const log = new MemoryLog({ clock: () => 0 });
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: { 'auto.offset.reset': 'earliest', ...config },
  });
  await engine.execute(
    "CREATE STREAM clicks (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='clicks', partitions=1, value_format='JSON');",
  );
  await engine.execute(
    'CREATE TABLE per_user AS SELECT user, COUNT(*) AS n, SUM(ms) AS total, COLLECT_SET(page) AS pages FROM clicks GROUP BY user;',
  );
  await engine.execute(
    'CREATE TABLE per_window AS SELECT user, COUNT(*) AS n FROM clicks WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY user;',
  );
  // Keys spread pseudo-randomly, so batches keep coming back to keys evicted long ago.
  let seed = 7;
  const records = [];
  for (let i = 0; i < EVENTS; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const user = `user-${seed % KEYS}`;
    records.push({
      key: Buffer.from(user),
      value: Buffer.from(JSON.stringify({ PAGE: `p${i % 7}`, MS: i % 100 })),
      timestamp: i * 10,
    });
  }
  await log.append('clicks', records);
  await engine.runUntilIdle();
  const outputs = {
    perUser: await topicText(log, 'PER_USER'),
    perWindow: await topicText(log, 'PER_WINDOW'),
  };
  const cached = aggregations(engine).map((q) => q.stateStoreInUse?.cachedBytes() ?? 0);
  await engine.close();
  return { outputs, cached };
}

describe('aggregation state under a memory budget', () => {
  it('gives the same results with a tiny budget as with an unbounded one', async () => {
    const unbounded = await aggregate({});
    const dir = stateDir();
    const bounded = await aggregate({
      'ksql.streams.state.dir': dir,
      'sluice.state.cache.max.bytes': String(BUDGET),
    });

    expect(unbounded.outputs.perUser).toHaveLength(EVENTS);
    expect(bounded.outputs).toEqual(unbounded.outputs);
    // The unbounded run held far more state than the budget; the bounded one stayed within it.
    for (const bytes of unbounded.cached) expect(bytes).toBeGreaterThan(10 * BUDGET);
    for (const bytes of bounded.cached) expect(bytes).toBeLessThanOrEqual(BUDGET);
    // One state file per query.
    expect(readdirSync(dir).filter((f) => f.endsWith('.duckdb'))).toHaveLength(2);
  }, 120_000);
});

describe('persistent query state', () => {
  it('TERMINATE deletes the query state file', async () => {
    const dir = stateDir();
    const log = new MemoryLog({ clock: () => 0 });
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      config: { 'auto.offset.reset': 'earliest', 'ksql.streams.state.dir': dir },
    });
    await engine.execute(
      "CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='s', partitions=1, value_format='JSON');",
    );
    const created = await engine.execute('CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;');
    await log.append('s', [{ key: Buffer.from('a'), value: Buffer.from('{"V":1}'), timestamp: 1 }]);
    await engine.runUntilIdle();
    const id = created[0]!.queryId!;
    // Named by the application id, as Kafka Streams names its state directories.
    const file = join(dir, `_confluent-ksql-default_query_${id}.duckdb`);
    expect(existsSync(file)).toBe(true);
    await engine.execute(`TERMINATE ${id};`);
    expect(existsSync(file)).toBe(false);
    await engine.close();
  });

  it('counts records that arrive after their window closed, and drops them', async () => {
    const log = new MemoryLog({ clock: () => 0 });
    const engine = new Engine({
      log,
      registry: builtinFunctions,
      deterministic: true,
      config: { 'auto.offset.reset': 'earliest' },
    });
    await engine.execute(
      "CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='s', partitions=1, value_format='JSON');",
    );
    await engine.execute(
      'CREATE TABLE t AS SELECT k, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 10 MILLISECONDS, GRACE PERIOD 5 MILLISECONDS) GROUP BY k;',
    );
    const at = (timestamp: number) => ({ key: Buffer.from('a'), value: Buffer.from('{"V":1}'), timestamp });
    // 3 is in [0, 10), which closes at 15; 12 is in time, 3 after 20 is not.
    await log.append('s', [at(3), at(20), at(12), at(3)]);
    await engine.runUntilIdle();
    const query = aggregations(engine)[0]!;
    expect(query.lateRecords()).toBe(1);
    expect(await topicText(log, 'T')).toHaveLength(3);
    await engine.close();
  });
});
