import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { translatePullSql } from '../../../engine/materialize/pull-sql.js';
import { parseStatement } from '../../../parser/index.js';

let engine: Engine;
const SQL = { 'sluice.query.pull.sql.enabled': 'true' };

async function setup(): Promise<Engine> {
  engine = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
  await engine.execute(
    "CREATE STREAM clicks (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='clicks', partitions=1, value_format='JSON');",
  );
  await engine.execute(
    'CREATE TABLE per_user AS SELECT user, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY user;',
    { 'auto.offset.reset': 'earliest' },
  );
  await engine.execute(
    "CREATE TABLE users (id STRING PRIMARY KEY, `Home Town` STRING, age INT) WITH (kafka_topic='users', partitions=1, value_format='JSON');",
  );
  await engine.execute('CREATE TABLE users_q AS SELECT * FROM users;', { 'auto.offset.reset': 'earliest' });
  for (const [user, page, ms] of [
    ['alice', 'a', 1],
    ['bob', 'b', 2],
    ['alice', 'c', 3],
    ['carol', 'd', 4],
  ] as const) {
    await engine.execute(`INSERT INTO clicks (user, page, ms) VALUES ('${user}', '${page}', ${ms});`);
  }
  await engine.execute("INSERT INTO users (id, `Home Town`, age) VALUES ('alice', 'O''Fallon', 30);");
  await engine.execute("INSERT INTO users (id, `Home Town`, age) VALUES ('bob', 'Paris', 40);");
  await engine.execute("INSERT INTO users (id, `Home Town`, age) VALUES ('carol', 'Paris', 50);");
  await engine.runUntilIdle();
  return engine;
}

async function pull(sql: string, properties: Record<string, unknown> = SQL) {
  const query = await engine.query(sql, properties);
  const rows: unknown[][] = [];
  for await (const row of query) rows.push([...row.values]);
  return { columns: query.columns.map((c) => [c.name, c.type.kind]), rows };
}

const byFirst = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));

afterEach(async () => {
  await engine?.close();
});

describe('DuckDB SQL pull queries over materialized tables', () => {
  it('answers GROUP BY with aggregates over a CTAS table', async () => {
    await setup();
    const result = await pull('SELECT n, COUNT(*) AS users, SUM(total) AS ms FROM per_user GROUP BY n;');
    expect(result.columns).toEqual([
      ['N', 'BIGINT'],
      ['USERS', 'BIGINT'],
      ['MS', 'BIGINT'],
    ]);
    expect(result.rows.sort(byFirst)).toEqual([
      [1n, 2n, 6n],
      [2n, 1n, 4n],
    ]);
  });

  it('answers HAVING', async () => {
    await setup();
    const result = await pull(
      'SELECT `Home Town` AS town, COUNT(*) AS c, AVG(age) AS a FROM users_q GROUP BY `Home Town` HAVING COUNT(*) > 1;',
    );
    expect(result.columns).toEqual([
      ['TOWN', 'STRING'],
      ['C', 'BIGINT'],
      ['A', 'DOUBLE'],
    ]);
    expect(result.rows).toEqual([['Paris', 2n, 45]]);
  });

  it('joins two materialized tables', async () => {
    await setup();
    const result = await pull(
      'SELECT p.user, p.total, u.age FROM per_user p JOIN users_q u ON p.user = u.id WHERE u.age >= 40;',
    );
    expect(result.columns.map((c) => c[0])).toEqual(['USER', 'TOTAL', 'AGE']);
    expect(result.rows.sort(byFirst)).toEqual([
      ['bob', 2, 40],
      ['carol', 4, 50],
    ]);
  });

  it('binds values and quotes identifiers', async () => {
    await setup();
    const result = await pull(
      "SELECT id, `Home Town` FROM users_q WHERE `Home Town` = 'O''Fallon' GROUP BY id, `Home Town`;",
    );
    expect(result.rows).toEqual([['alice', "O'Fallon"]]);
    const { sql, params } = translatePullSql(
      parseStatement(
        "SELECT `a\"b` FROM users_q WHERE `Home Town` = 'x''; DROP TABLE t; --' GROUP BY `a\"b`;",
      ).statement as never,
      engine.metastore,
    );
    expect(sql).toBe('SELECT "a""b" AS "a""b" FROM "USERS_Q" WHERE ("Home Town" = $1) GROUP BY "a""b"');
    expect(params).toEqual([{ value: "x'; DROP TABLE t; --", type: { kind: 'STRING' } }]);
  });

  it('serves key lookups from the index as before, and keeps the rejection without the property', async () => {
    await setup();
    expect((await pull("SELECT * FROM per_user WHERE user = 'alice';")).rows).toEqual([['alice', 2n, 4]]);
    await expect(pull('SELECT n, COUNT(*) FROM per_user GROUP BY n;', {})).rejects.toThrow(
      "Pull queries don't support GROUP BY clauses.",
    );
    await expect(pull('SELECT p.user FROM per_user p JOIN users_q u ON p.user = u.id;', {})).rejects.toThrow(
      "Pull queries don't support JOIN clauses.",
    );
  });
});

describe('DuckDB SQL pull queries: what stays refused', () => {
  it("keeps the planner's refusal for a stream even with the property", async () => {
    await setup();
    await expect(pull('SELECT user, COUNT(*) FROM clicks GROUP BY user;')).rejects.toThrow(
      "Pull queries don't support GROUP BY clauses.",
    );
  });
});
