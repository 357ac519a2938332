import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { JoinQuery } from '../../../engine/runtime/joins/join-query.js';
import { ProcessingLog } from '../../../engine/runtime/processing-log.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-join-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a join query restarted on its state file still knows the table rows it had read', async () => {
  const log = new MemoryLog({ clock: () => 0 });
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: { 'auto.offset.reset': 'earliest' },
  });
  await engine.execute(`
    CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='JSON');
    CREATE TABLE t (id INT PRIMARY KEY, w STRING) WITH (kafka_topic='t', partitions=1, value_format='JSON');
    CREATE STREAM o AS SELECT s.id, v, w FROM s JOIN t ON s.id = t.id;
  `);
  const plan = engine.persistentQueries()[0]!.plan;
  if (plan.kind !== 'JoinPipeline') throw new Error('expected a join plan');
  await engine.close();
  const open = () =>
    new JoinQuery(plan, log, builtinFunctions, new ProcessingLog(), {
      groupId: 'restart-test',
      autoOffsetReset: 'earliest',
      state: { dir, cacheBytes: Number.POSITIVE_INFINITY },
    });

  await engine.execute("INSERT INTO t (id, w) VALUES (1, 'table row');");
  const first = open();
  await first.drain();
  await first.close();

  // The table row was read (and committed) by the first run; the second sees it from DuckDB.
  await engine.execute("INSERT INTO s (id, v) VALUES (1, 'event');");
  const second = open();
  await second.drain();
  await second.close();

  const reader = log.openReader({ groupId: 'check', topics: ['O'], autoOffsetReset: 'earliest' });
  const out = await reader.poll({ timeoutMs: 0 });
  await reader.close();
  expect(out.map((r) => JSON.parse(r.value!.toString()))).toEqual([{ V: 'event', W: 'table row' }]);
});
