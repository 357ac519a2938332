import { afterEach, describe, expect, it } from 'vitest';
import { CLICKS, EARLIEST, postKsql, type TestServer, testServer } from './support.js';

const SQL = { 'sluice.query.pull.sql.enabled': 'true' };

async function clicks(server: TestServer): Promise<void> {
  await postKsql(server.app, CLICKS);
  await postKsql(
    server.app,
    'CREATE TABLE per_user AS SELECT user, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY user;',
    { streamsProperties: EARLIEST },
  );
  for (const [user, ms] of [
    ['ann', 1],
    ['bob', 5],
    ['ann', 2],
    ['cy', 4],
  ] as const) {
    await postKsql(server.app, `INSERT INTO clicks (user, page, ms) VALUES ('${user}', '/p', ${ms});`);
  }
  await server.engine.runUntilIdle();
}

async function query(server: TestServer, ksql: string, streamsProperties: Record<string, unknown> = SQL) {
  const response = await server.app.inject({
    method: 'POST',
    url: '/query',
    payload: { ksql, streamsProperties },
  });
  return { status: response.statusCode, body: JSON.parse(response.body) as unknown };
}

describe('DuckDB SQL pull queries over REST', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  it('answers ORDER BY with LIMIT on /query, in order', async () => {
    server = testServer();
    await clicks(server);
    const { status, body } = await query(
      server,
      'SELECT user, total FROM per_user ORDER BY total DESC, user LIMIT 2;',
    );
    expect(status).toBe(200);
    expect(body).toEqual([
      { header: { queryId: expect.any(String), schema: '`USER` STRING, `TOTAL` INTEGER' } },
      { row: { columns: ['bob', 5] } },
      { row: { columns: ['cy', 4] } },
    ]);
  });

  it('answers ORDER BY over GROUP BY on /query-stream', async () => {
    server = testServer();
    await clicks(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query-stream',
      payload: {
        sql: 'SELECT n, COUNT(*) AS users FROM per_user GROUP BY n ORDER BY n DESC;',
        properties: SQL,
      },
    });
    expect(response.statusCode).toBe(200);
    const lines = response.body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toMatchObject({ columnNames: ['N', 'USERS'], columnTypes: ['BIGINT', 'BIGINT'] });
    expect(lines.slice(1)).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('refuses ORDER BY without the property, naming line and column', async () => {
    server = testServer();
    await clicks(server);
    const { status, body } = await query(server, 'SELECT * FROM per_user\n  WHERE n > 0 ORDER BY n;', {});
    expect(status).toBe(400);
    expect((body as { message: string }).message).toBe(
      'line 2:15: Syntax Error\nORDER BY is only supported for pull queries over materialized tables with sluice.query.pull.sql.enabled=true.',
    );
  });

  it('returns every column type with the schema and JSON values of a plain pull query', async () => {
    server = testServer();
    await postKsql(
      server.app,
      'CREATE TABLE typed (id INT PRIMARY KEY, dec DECIMAL(6, 2), dt DATE, tm TIME, ts TIMESTAMP, bs BYTES, ' +
        "arr ARRAY<STRING>, m MAP<STRING, DOUBLE>, st STRUCT<a INT, b BIGINT>) WITH (kafka_topic='typed_rest', partitions=1, value_format='JSON');",
    );
    await postKsql(server.app, 'CREATE TABLE typed_q AS SELECT * FROM typed;', {
      streamsProperties: EARLIEST,
    });
    await postKsql(
      server.app,
      "INSERT INTO typed (id, dec, dt, tm, ts, bs, arr, m, st) VALUES (1, 1234.5, FROM_DAYS(19000), PARSE_TIME('01:02:03', 'HH:mm:ss'), " +
        "FROM_UNIXTIME(1700000000000), TO_BYTES('aGk=', 'base64'), ARRAY['x', NULL], MAP('k' := 0.5), STRUCT(a := 1, b := 2));",
    );
    await server.engine.runUntilIdle();
    const plain = await query(server, 'SELECT * FROM typed_q WHERE id = 1;', {});
    const duck = await query(server, 'SELECT * FROM typed_q WHERE id = 1 ORDER BY id;');
    expect(duck.status).toBe(200);
    const [plainHeader, ...plainRows] = plain.body as { header?: { schema: string } }[];
    const [duckHeader, ...duckRows] = duck.body as { header?: { schema: string } }[];
    expect(duckHeader!.header!.schema).toBe(
      plainHeader!.header!.schema.replace(' PRIMARY KEY', '').replace(' KEY', ''),
    );
    expect(duckHeader!.header!.schema).toBe(
      '`ID` INTEGER, `DEC` DECIMAL(6, 2), `DT` DATE, `TM` TIME, `TS` TIMESTAMP, `BS` BYTES, `ARR` ARRAY<STRING>, ' +
        '`M` MAP<STRING, DOUBLE>, `ST` STRUCT<`A` INTEGER, `B` BIGINT>',
    );
    expect(duckRows).toEqual(plainRows);
    expect(duckRows).toHaveLength(1);
  });
});
