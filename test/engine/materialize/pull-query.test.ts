import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';

let engine: Engine;

async function setup(): Promise<Engine> {
  engine = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
  await engine.execute(
    "CREATE STREAM clicks (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='clicks', partitions=1, value_format='JSON');",
  );
  await engine.execute(
    'CREATE TABLE per_user AS SELECT user, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY user;',
    { 'auto.offset.reset': 'earliest' },
  );
  for (const [user, page, ms] of [
    ['alice', 'a', 1],
    ['bob', 'b', 2],
    ['alice', 'c', 3],
    ['carol', 'd', 4],
  ] as const) {
    await engine.execute(`INSERT INTO clicks (user, page, ms) VALUES ('${user}', '${page}', ${ms});`);
  }
  await engine.runUntilIdle();
  return engine;
}

async function pull(sql: string, properties: Record<string, unknown> = {}) {
  const query = await engine.query(sql, properties);
  const rows: unknown[][] = [];
  for await (const row of query) rows.push([...row.values]);
  return { columns: query.columns, rows };
}

afterEach(async () => {
  await engine?.close();
});

describe('pull queries over a materialized table', () => {
  it('looks a key up, with the key column marked', async () => {
    await setup();
    const result = await pull("SELECT * FROM per_user WHERE user = 'alice';");
    expect(result.columns).toEqual([
      { name: 'USER', type: expect.objectContaining({ kind: 'STRING' }), key: true },
      { name: 'N', type: expect.objectContaining({ kind: 'BIGINT' }) },
      { name: 'TOTAL', type: expect.objectContaining({ kind: 'INTEGER' }) },
    ]);
    expect(result.rows).toEqual([['alice', 2n, 4]]);
  });

  it('looks several keys up with IN, and finds nothing for a missing key', async () => {
    await setup();
    const found = await pull("SELECT user, n FROM per_user WHERE user IN ('bob', 'carol', 'dave');");
    expect(found.rows.sort()).toEqual([
      ['bob', 1n],
      ['carol', 1n],
    ]);
    expect((await pull("SELECT * FROM per_user WHERE user = 'dave';")).rows).toEqual([]);
  });

  it('scans with a filter on value columns, a key range and LIMIT', async () => {
    await setup();
    expect((await pull('SELECT user FROM per_user WHERE n > 1;')).rows).toEqual([['alice']]);
    expect((await pull("SELECT user FROM per_user WHERE user > 'b';")).rows.sort()).toEqual([
      ['bob'],
      ['carol'],
    ]);
    expect((await pull('SELECT * FROM per_user LIMIT 2;')).rows).toHaveLength(2);
    expect((await pull('SELECT * FROM per_user;')).rows).toHaveLength(3);
  });

  it('sees updates once they are materialized', async () => {
    await setup();
    await engine.execute("INSERT INTO clicks (user, page, ms) VALUES ('bob', 'x', 10);");
    await engine.runUntilIdle();
    expect((await pull("SELECT total FROM per_user WHERE user = 'bob';")).rows).toEqual([[12]]);
  });

  it('refuses what ksqlDB refuses, with its messages', async () => {
    await setup();
    await expect(pull("SELECT * FROM per_user WHERE user = 'a' GROUP BY user;")).rejects.toThrow(
      "Pull queries don't support GROUP BY clauses",
    );
    await expect(pull('SELECT user, ROWOFFSET FROM per_user;')).rejects.toThrow(
      "Pull queries don't support the following columns in SELECT clauses: `ROWOFFSET`",
    );
    await expect(
      pull('SELECT * FROM per_user WHERE n = 1;', { 'ksql.query.pull.table.scan.enabled': false }),
    ).rejects.toThrow('WHERE clause missing key column for disjunct: (N = 1)');
    await expect(
      pull("SELECT * FROM per_user WHERE user <> 'a';", { 'ksql.query.pull.table.scan.enabled': false }),
    ).rejects.toThrow("Bound on key columns '[`USER` STRING KEY]' must currently be '='.");
    await expect(pull('SELECT * FROM per_user WHERE user = 1;')).rejects.toThrow(
      'Error in WHERE expression: Cannot compare USER (STRING) to 1 (INTEGER) with EQUAL.',
    );
  });

  it('does not query a plain CREATE TABLE, but does a CREATE SOURCE TABLE', async () => {
    await setup();
    await engine.execute(
      "CREATE TABLE users (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='users', partitions=1, value_format='JSON');",
    );
    await expect(pull('SELECT * FROM users;')).rejects.toThrow("The `USERS` table isn't queryable.");
    await engine.execute(
      "CREATE SOURCE TABLE users_src (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='users', value_format='JSON');",
    );
    await engine.execute("INSERT INTO users (id, name) VALUES ('1', 'one');");
    await engine.runUntilIdle();
    expect((await pull("SELECT * FROM users_src WHERE id = '1';")).rows).toEqual([['1', 'one']]);
  });
});

describe('pull queries over a stream', () => {
  it('scans the records the stream holds now', async () => {
    await setup();
    const result = await pull('SELECT user, ms FROM clicks WHERE ms >= 2;');
    expect(result.columns.map((c) => c.name)).toEqual(['USER', 'MS']);
    expect(result.rows).toEqual([
      ['bob', 2],
      ['alice', 3],
      ['carol', 4],
    ]);
    expect((await pull('SELECT * FROM clicks LIMIT 1;')).rows).toHaveLength(1);
  });
});
