import { describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';

/** An engine over MemoryLog; `at(ts)` inserts with ROWTIME set and runs queries until idle. */
async function setup(ddl: string) {
  const log = new MemoryLog({ clock: () => 0 });
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    deterministic: true,
    config: { 'auto.offset.reset': 'earliest' },
  });
  await engine.execute(ddl);
  const insert = async (sql: string) => {
    await engine.execute(sql);
    await engine.runUntilIdle();
  };
  const read = async (topic: string) => {
    const reader = log.openReader({
      groupId: `check-${Math.random()}`,
      topics: [topic],
      autoOffsetReset: 'earliest',
    });
    const out: { key: string | null; value: unknown; ts: number }[] = [];
    for (;;) {
      const batch = await reader.poll({ timeoutMs: 0 });
      if (batch.length === 0) break;
      for (const r of batch)
        out.push({
          key: r.key === null ? null : r.key.toString(),
          value: r.value === null ? null : JSON.parse(r.value.toString()),
          ts: r.timestamp,
        });
    }
    await reader.close();
    return out;
  };
  return { engine, insert, read };
}

describe('join queries', () => {
  it('stream-table: a stream record meets the table as it stands, later table rows do not join back', async () => {
    const { insert, read } = await setup(`
      CREATE STREAM orders (id STRING KEY, customer STRING, amount DOUBLE) WITH (kafka_topic='orders', partitions=1, value_format='JSON', key_format='JSON');
      CREATE TABLE customers (id STRING PRIMARY KEY, name STRING, level STRING) WITH (kafka_topic='customers', partitions=1, value_format='JSON', key_format='JSON');
      CREATE STREAM enriched AS SELECT o.customer, o.id, o.amount, c.name, c.level FROM orders o LEFT JOIN customers c ON o.customer = c.id;
    `);
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o1', 'c1', 10.0);");
    await insert("INSERT INTO customers (id, name, level) VALUES ('c1', 'Ann', 'gold');");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o2', 'c1', 20.0);");
    await insert("INSERT INTO customers (id, name, level) VALUES ('c1', 'Ann', 'platinum');");
    await insert("INSERT INTO orders (id, customer, amount) VALUES ('o3', 'c1', 30.0);");
    const out = await read('ENRICHED');
    expect(out.map((r) => r.value)).toEqual([
      { O_ID: 'o1', AMOUNT: 10, NAME: null, LEVEL: null },
      { O_ID: 'o2', AMOUNT: 20, NAME: 'Ann', LEVEL: 'gold' },
      { O_ID: 'o3', AMOUNT: 30, NAME: 'Ann', LEVEL: 'platinum' },
    ]);
    // The result is keyed by the join key, the customer.
    expect(out.map((r) => r.key)).toEqual(['"c1"', '"c1"', '"c1"']);
  });

  it('table-table: updates on either side re-join, deletions become tombstones', async () => {
    const { insert, read } = await setup(`
      CREATE TABLE l (id INT PRIMARY KEY, a STRING) WITH (kafka_topic='l', partitions=1, value_format='JSON');
      CREATE TABLE r (id INT PRIMARY KEY, b STRING) WITH (kafka_topic='r', partitions=1, value_format='JSON');
      CREATE TABLE j AS SELECT l.id, a, b FROM l JOIN r ON l.id = r.id;
    `);
    await insert("INSERT INTO l (id, a) VALUES (1, 'x');");
    await insert("INSERT INTO r (id, b) VALUES (1, 'y');");
    await insert("INSERT INTO l (id, a) VALUES (1, 'x2');");
    const out = await read('J');
    expect(out.map((r) => r.value)).toEqual([
      { A: 'x', B: 'y' },
      { A: 'x2', B: 'y' },
    ]);
  });

  it('stream-stream LEFT with a grace period emits a non-match only when its window closes', async () => {
    const { insert, read } = await setup(`
      CREATE STREAM a (id INT KEY, x STRING) WITH (kafka_topic='a', partitions=1, value_format='JSON');
      CREATE STREAM b (id INT KEY, y STRING) WITH (kafka_topic='b', partitions=1, value_format='JSON');
      CREATE STREAM ab AS SELECT a.id, x, y FROM a LEFT JOIN b WITHIN 10 SECONDS GRACE PERIOD 5 SECONDS ON a.id = b.id;
    `);
    await insert("INSERT INTO a (id, x, ROWTIME) VALUES (1, 'one', 1000);");
    await insert("INSERT INTO a (id, x, ROWTIME) VALUES (2, 'two', 2000);");
    await insert("INSERT INTO b (id, y, ROWTIME) VALUES (2, 'deux', 5000);");
    expect((await read('AB')).map((r) => r.value)).toEqual([{ X: 'two', Y: 'deux' }]);
    // Stream time passes 1000 + 10000 + 5000: the unmatched left record is emitted.
    await insert("INSERT INTO a (id, x, ROWTIME) VALUES (3, 'three', 16001);");
    const out = await read('AB');
    expect(out.map((r) => [r.value, r.ts])).toEqual([
      [{ X: 'two', Y: 'deux' }, 5000],
      [{ X: 'one', Y: null }, 1000],
    ]);
  });

  it('rejects what ksqlDB rejects, with its messages', async () => {
    const { engine } = await setup(`
      CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='JSON');
      CREATE TABLE t (id INT PRIMARY KEY, w INT) WITH (kafka_topic='t', partitions=1, value_format='JSON');
      CREATE STREAM s2 (id INT KEY, v STRING) WITH (kafka_topic='s2', partitions=1, value_format='JSON');
    `);
    await expect(
      engine.execute('CREATE STREAM o AS SELECT * FROM s FULL OUTER JOIN t ON s.id = t.id;'),
    ).rejects.toThrow(
      'Invalid join type: full-outer join not supported for stream-table join. Got S [FULL] OUTER JOIN T.',
    );
    await expect(
      engine.execute('CREATE STREAM o AS SELECT * FROM s JOIN s2 ON s.id = s2.id;'),
    ).rejects.toThrow('Stream-Stream joins must have a WITHIN clause specified.');
    await expect(engine.execute('CREATE STREAM o AS SELECT * FROM s JOIN t ON s.id = t.w;')).rejects.toThrow(
      "Invalid join condition: stream-table joins require to join on the table's primary key. Got S.ID = T.W.",
    );
  });

  it('EXPLAIN shows the join', async () => {
    const { engine } = await setup(`
      CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', partitions=1, value_format='JSON');
      CREATE TABLE t (id INT PRIMARY KEY, w STRING) WITH (kafka_topic='t', partitions=1, value_format='JSON');
    `);
    const [result] = await engine.execute(
      'EXPLAIN CREATE STREAM o AS SELECT s.id, v, w FROM s JOIN t ON s.id = t.id;',
    );
    expect(JSON.stringify(result?.entity)).toContain('STREAM-TABLE INNER JOIN');
  });
});
