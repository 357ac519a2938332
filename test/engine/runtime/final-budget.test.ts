import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import type { Log } from '../../../engine/log/log.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { PersistentQuery } from '../../../engine/runtime/persistent-query.js';
import { seededRandom } from '../state/state-store-contract.js';

const BUDGET = 16 * 1024;
const KEYS = 2000;
const EVENTS = 8000;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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

/**
 * EMIT FINAL over tumbling, hopping and session windows of the same clicks, with a grace
 * period that keeps thousands of (key, window) rows held at once; returns the three outputs.
 */
async function finals(config: Record<string, string>) {
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
    'CREATE TABLE per_tumbling AS SELECT user, COUNT(*) AS n, SUM(ms) AS total FROM clicks WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 1 HOURS, GRACE PERIOD 20 SECONDS) GROUP BY user EMIT FINAL;',
  );
  await engine.execute(
    'CREATE TABLE per_hopping AS SELECT user, COLLECT_SET(page) AS pages FROM clicks WINDOW HOPPING (SIZE 20 SECONDS, ADVANCE BY 5 SECONDS, RETENTION 1 HOURS, GRACE PERIOD 10 SECONDS) GROUP BY user EMIT FINAL;',
  );
  await engine.execute(
    'CREATE TABLE per_session AS SELECT user, COUNT(*) AS n FROM clicks WINDOW SESSION (4 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY user EMIT FINAL;',
  );
  // Keys spread pseudo-randomly, with timestamps a little out of order.
  const random = seededRandom(11);
  const records = [];
  for (let i = 0; i < EVENTS; i++) {
    const user = `user-${Math.floor(random() * KEYS)}`;
    records.push({
      key: Buffer.from(user),
      value: Buffer.from(JSON.stringify({ PAGE: `p${i % 5}`, MS: i % 100 })),
      timestamp: 1_000_000 + i * 10 - Math.floor(random() * 7) * 100,
    });
  }
  await log.append('clicks', records);
  await engine.runUntilIdle();
  const outputs = {
    tumbling: await topicText(log, 'PER_TUMBLING'),
    hopping: await topicText(log, 'PER_HOPPING'),
    sessions: await topicText(log, 'PER_SESSION'),
  };
  const cached = engine
    .persistentQueries()
    .filter((q): q is PersistentQuery => q instanceof PersistentQuery)
    .map((q) => q.stateStoreInUse?.cachedBytes() ?? 0);
  await engine.close();
  return { outputs, cached };
}

describe('EMIT FINAL under a memory budget', () => {
  it('holds many more rows than fit in the budget and emits what an unbounded run emits', async () => {
    const unbounded = await finals({});
    const dir = mkdtempSync(join(tmpdir(), 'sluice-final-'));
    dirs.push(dir);
    const bounded = await finals({
      'ksql.streams.state.dir': dir,
      'sluice.state.cache.max.bytes': String(BUDGET),
    });

    // Each window closes once: one row per (key, window), and windows are still open at the end.
    expect(unbounded.outputs.tumbling.length).toBeGreaterThan(KEYS);
    expect(unbounded.outputs.hopping.length).toBeGreaterThan(KEYS);
    expect(unbounded.outputs.sessions.length).toBeGreaterThan(KEYS);
    expect(bounded.outputs).toEqual(unbounded.outputs);
    for (const bytes of unbounded.cached) expect(bytes).toBeGreaterThan(10 * BUDGET);
    for (const bytes of bounded.cached) expect(bytes).toBeLessThanOrEqual(BUDGET);
  }, 180_000);
});
