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
        { value: 'x', type: { kind: 'STRING' } },
        { value: 3n, type: { kind: 'BIGINT' } },
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

describe('every column type through DuckDB', () => {
  it('loads each type and returns the same values and types as the index', async () => {
    engine = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
    await engine.execute(
      'CREATE TABLE typed (id INT PRIMARY KEY, b BOOLEAN, i INT, l BIGINT, d DOUBLE, dec DECIMAL(12, 4), ' +
        's STRING, bs BYTES, dt DATE, tm TIME, ts TIMESTAMP, arr ARRAY<DECIMAL(4, 2)>, m MAP<STRING, ARRAY<INT>>, ' +
        "st STRUCT<`x` INT, `Mixed Case` STRUCT<t TIMESTAMP, z BYTES>>) WITH (kafka_topic='typed', partitions=1, value_format='JSON');",
    );
    await engine.execute('CREATE TABLE typed_q AS SELECT * FROM typed;', { 'auto.offset.reset': 'earliest' });
    await engine.execute(
      'INSERT INTO typed (id, b, i, l, d, dec, s, bs, dt, tm, ts, arr, m, st) VALUES (1, true, -7, 9223372036854775807, 0.1, ' +
        "12345678.1234, 'it''s', TO_BYTES('AAEC/w==', 'base64'), FROM_DAYS(-3), PARSE_TIME('23:59:59.999', 'HH:mm:ss.SSS'), " +
        "FROM_UNIXTIME(-1), ARRAY[1.50, -0.01, NULL], MAP('k' := ARRAY[1, NULL], 'e' := CAST(NULL AS ARRAY<INT>)), " +
        "STRUCT(`x` := 3, `Mixed Case` := STRUCT(t := FROM_UNIXTIME(1700000000123), z := TO_BYTES('', 'utf8'))));",
    );
    await engine.execute('INSERT INTO typed (id) VALUES (2);');
    await engine.runUntilIdle();
    const fromIndex = await engine.query('SELECT * FROM typed_q;');
    const indexRows: unknown[][] = [];
    for await (const row of fromIndex) indexRows.push([...row.values]);
    indexRows.sort((a, b) => (a[0] as number) - (b[0] as number));
    const fromDuckDB = await engine.query('SELECT * FROM typed_q ORDER BY id;', SQL);
    const duckRows: unknown[][] = [];
    for await (const row of fromDuckDB) duckRows.push([...row.values]);
    expect(fromDuckDB.columns.map((c) => [c.name, c.type])).toEqual(
      fromIndex.columns.map((c) => [c.name, c.type]),
    );
    expect(duckRows).toEqual(indexRows);
    expect(duckRows[0]![2]).toBe(-7);
    expect(String(duckRows[0]![5])).toBe('12345678.1234');
  });

  it('binds literals of every kind and casts to every type', async () => {
    await setup();
    const result = await engine.query(
      "SELECT CAST(age AS DECIMAL(6, 2)) AS a, CAST('2024-02-29' AS DATE) AS dt, CAST('10:11:12' AS TIME) AS tm, " +
        "CAST('2024-02-29T10:11:12.345' AS TIMESTAMP) AS ts, CAST(age AS STRING) AS s, 1.25 * age AS scaled " +
        "FROM users_q WHERE id = 'alice' ORDER BY 1;",
      SQL,
    );
    const out: unknown[][] = [];
    for await (const row of result) out.push([...row.values]);
    expect(result.columns.map((c) => c.type.kind)).toEqual([
      'DECIMAL',
      'DATE',
      'TIME',
      'TIMESTAMP',
      'STRING',
      'DECIMAL',
    ]);
    expect(out.map((r) => r.map(String))).toEqual([
      ['30', '19782', '36672000', '1709201472345', '30', '37.5'],
    ]);
  });
});
