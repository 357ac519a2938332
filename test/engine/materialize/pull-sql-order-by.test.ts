import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { builtinFunctions } from '../../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../../engine/log/memory-log.js';
import { translatePullSql } from '../../../engine/materialize/pull-sql.js';
import { ParseError, parseStatement } from '../../../parser/index.js';

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
    "CREATE TABLE users (id STRING PRIMARY KEY, town STRING, age INT) WITH (kafka_topic='users', partitions=1, value_format='JSON');",
  );
  await engine.execute('CREATE TABLE users_q AS SELECT * FROM users;', { 'auto.offset.reset': 'earliest' });
  for (const [user, page, ms] of [
    ['alice', 'a', 1],
    ['bob', 'b', 2],
    ['alice', 'c', 3],
    ['carol', 'd', 4],
    ['dave', 'e', 9],
  ] as const) {
    await engine.execute(`INSERT INTO clicks (user, page, ms) VALUES ('${user}', '${page}', ${ms});`);
  }
  await engine.execute("INSERT INTO users (id, town, age) VALUES ('alice', 'Lyon', 30);");
  await engine.execute("INSERT INTO users (id, town, age) VALUES ('bob', 'Paris', 40);");
  await engine.execute("INSERT INTO users (id, town, age) VALUES ('carol', 'Paris', 50);");
  await engine.execute("INSERT INTO users (id, town) VALUES ('dave', 'Lyon');");
  await engine.runUntilIdle();
  return engine;
}

async function rows(sql: string, properties: Record<string, unknown> = SQL): Promise<unknown[][]> {
  const query = await engine.query(sql, properties);
  const out: unknown[][] = [];
  for await (const row of query) out.push([...row.values]);
  return out;
}

afterEach(async () => {
  await engine?.close();
});

describe('ORDER BY in DuckDB SQL pull queries', () => {
  it('orders ascending and descending, NULLs last unless NULLS FIRST', async () => {
    await setup();
    expect(await rows('SELECT id, age FROM users_q ORDER BY age;')).toEqual([
      ['alice', 30],
      ['bob', 40],
      ['carol', 50],
      ['dave', null],
    ]);
    expect(await rows('SELECT id, age FROM users_q ORDER BY age DESC;')).toEqual([
      ['carol', 50],
      ['bob', 40],
      ['alice', 30],
      ['dave', null],
    ]);
    expect(await rows('SELECT id FROM users_q ORDER BY age DESC NULLS FIRST;')).toEqual([
      ['dave'],
      ['carol'],
      ['bob'],
      ['alice'],
    ]);
    expect(await rows('SELECT id FROM users_q ORDER BY age ASC NULLS FIRST;')).toEqual([
      ['dave'],
      ['alice'],
      ['bob'],
      ['carol'],
    ]);
  });

  it('orders by several keys, by ordinal, by alias and by expression, with LIMIT', async () => {
    await setup();
    expect(await rows('SELECT town, id FROM users_q ORDER BY town DESC, id;')).toEqual([
      ['Paris', 'bob'],
      ['Paris', 'carol'],
      ['Lyon', 'alice'],
      ['Lyon', 'dave'],
    ]);
    expect(await rows('SELECT town, id AS who FROM users_q ORDER BY 1, who DESC LIMIT 3;')).toEqual([
      ['Lyon', 'dave'],
      ['Lyon', 'alice'],
      ['Paris', 'carol'],
    ]);
    expect(
      await rows('SELECT id FROM users_q WHERE age IS NOT NULL ORDER BY ABS(age - 42) LIMIT 2;'),
    ).toEqual([['bob'], ['carol']]);
  });

  it('orders a join of two materialized tables', async () => {
    await setup();
    expect(
      await rows(
        'SELECT u.id, p.total, u.town FROM per_user p JOIN users_q u ON p.user = u.id ORDER BY p.total DESC, u.id;',
      ),
    ).toEqual([
      ['dave', 9, 'Lyon'],
      ['alice', 4, 'Lyon'],
      ['carol', 4, 'Paris'],
      ['bob', 2, 'Paris'],
    ]);
  });

  it('orders GROUP BY results by aggregate', async () => {
    await setup();
    expect(
      await rows(
        'SELECT town, COUNT(*) AS c, MAX(age) AS oldest FROM users_q GROUP BY town ORDER BY oldest DESC;',
      ),
    ).toEqual([
      ['Paris', 2n, 50],
      ['Lyon', 2n, 30],
    ]);
    expect(
      await rows('SELECT n, SUM(total) FROM per_user GROUP BY n ORDER BY SUM(total) DESC LIMIT 1;'),
    ).toEqual([[1n, 15n]]);
  });

  it('is translated with quoted names and bound values, ordinals and directions spelled out', () => {
    return setup().then(() => {
      const { sql, params } = translatePullSql(
        parseStatement(
          "SELECT town, id FROM users_q WHERE town <> 'x' ORDER BY 2 DESC, `town` NULLS FIRST LIMIT 3;",
        ).statement as never,
        engine.metastore,
      );
      expect(sql).toBe(
        'SELECT "TOWN" AS "TOWN", "ID" AS "ID" FROM "USERS_Q" WHERE ("TOWN" <> $1) ' +
          'ORDER BY 2 DESC NULLS LAST, "town" ASC NULLS FIRST LIMIT $2',
      );
      expect(params).toEqual([
        { value: 'x', type: 'STRING' },
        { value: 3n, type: 'BIGINT' },
      ]);
    });
  });
});

describe('ORDER BY where it does not run', () => {
  const message =
    'ORDER BY is only supported for pull queries over materialized tables with sluice.query.pull.sql.enabled=true.';

  it('is refused in a pull query without sluice.query.pull.sql.enabled, with its position', async () => {
    await setup();
    const error = await rows("SELECT * FROM users_q WHERE id = 'bob' ORDER BY age;", {}).catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toBe(`line 1:40: Syntax Error\n${message}`);
    // ksqlDB reads ORDER as an alias right after the source, so its parser stops at BY.
    await expect(rows('SELECT * FROM users_q ORDER BY age;', {})).rejects.toThrow(
      `line 1:29: Syntax Error\n${message}`,
    );
  });

  it('is refused in push queries, persistent queries, and pull queries over streams', async () => {
    await setup();
    await expect(engine.query('SELECT * FROM clicks ORDER BY ms EMIT CHANGES;', SQL)).rejects.toThrow(
      message,
    );
    await expect(rows('SELECT * FROM clicks ORDER BY ms;')).rejects.toThrow(message);
    await expect(
      engine.execute('CREATE STREAM c2 AS SELECT * FROM clicks ORDER BY ms;', SQL),
    ).rejects.toThrow(message);
    await expect(
      engine.execute(
        'CREATE TABLE t2 AS SELECT user, COUNT(*) FROM clicks GROUP BY user ORDER BY user;',
        SQL,
      ),
    ).rejects.toThrow(message);
    await expect(engine.execute('INSERT INTO clicks SELECT * FROM clicks ORDER BY ms;', SQL)).rejects.toThrow(
      message,
    );
  });
});
