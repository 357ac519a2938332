import { afterEach, describe, expect, it } from 'vitest';
import { CLICKS, EARLIEST, json, postKsql, streamedRowsOf, type TestServer, testServer } from './support.js';

const PER_USER = 'CREATE TABLE per_user AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user;';

async function aggregated(server: TestServer): Promise<void> {
  await postKsql(server.app, CLICKS);
  await postKsql(server.app, PER_USER, { streamsProperties: EARLIEST });
  for (const [user, page] of [
    ['ann', '/a'],
    ['bob', '/b'],
    ['ann', '/c'],
  ]) {
    await postKsql(server.app, `INSERT INTO clicks (user, page, ms) VALUES ('${user}', '${page}', 1);`);
  }
  await server.engine.runUntilIdle();
}

describe('pull queries over REST', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  it('answers /query with the header (key marked) and the rows, as one JSON array', async () => {
    server = testServer();
    await aggregated(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query',
      payload: { ksql: "SELECT * FROM per_user WHERE user = 'ann';" },
    });
    expect(response.statusCode).toBe(200);
    const parsed = JSON.parse(response.body) as unknown[];
    expect(parsed).toEqual([
      { header: { queryId: expect.any(String), schema: '`USER` STRING KEY, `N` BIGINT' } },
      { row: { columns: ['ann', 2] } },
    ]);
  });

  it('answers GROUP BY through DuckDB when sluice.query.pull.sql.enabled is set', async () => {
    server = testServer();
    await aggregated(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query',
      payload: {
        ksql: 'SELECT n, COUNT(*) AS users FROM per_user GROUP BY n HAVING COUNT(*) >= 1;',
        streamsProperties: { 'sluice.query.pull.sql.enabled': 'true' },
      },
    });
    expect(response.statusCode).toBe(200);
    const parsed = JSON.parse(response.body) as { row?: { columns: unknown[] } }[];
    expect(parsed[0]).toEqual({
      header: { queryId: expect.any(String), schema: '`N` BIGINT, `USERS` BIGINT' },
    });
    expect(
      parsed
        .slice(1)
        .map((r) => r.row?.columns)
        .sort(),
    ).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('answers a lookup of a missing key with the header alone', async () => {
    server = testServer();
    await aggregated(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query',
      payload: { ksql: "SELECT * FROM per_user WHERE user = 'nobody';" },
    });
    expect(JSON.parse(response.body)).toEqual([
      { header: { queryId: expect.any(String), schema: '`USER` STRING KEY, `N` BIGINT' } },
    ]);
  });

  it('answers /query-stream with the metadata and one array per row', async () => {
    server = testServer();
    await aggregated(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query-stream',
      payload: { sql: 'SELECT user, n FROM per_user WHERE n >= 1;' },
    });
    expect(response.statusCode).toBe(200);
    const lines = response.body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toMatchObject({ columnNames: ['USER', 'N'], columnTypes: ['STRING', 'BIGINT'] });
    expect(lines.slice(1).sort()).toEqual([
      ['ann', 2],
      ['bob', 1],
    ]);
  });

  it('scans a stream and ends with Query Completed', async () => {
    server = testServer();
    await aggregated(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query',
      payload: { ksql: 'SELECT user, page FROM clicks;' },
    });
    expect(streamedRowsOf(response.body)).toEqual([
      { header: { queryId: expect.any(String), schema: '`USER` STRING, `PAGE` STRING' } },
      { row: { columns: ['ann', '/a'] } },
      { row: { columns: ['bob', '/b'] } },
      { row: { columns: ['ann', '/c'] } },
      { finalMessage: 'Query Completed' },
    ]);
  });

  it("refuses a table that is not materialized with ksqlDB's statement error", async () => {
    server = testServer();
    await postKsql(
      server.app,
      "CREATE TABLE users (id STRING PRIMARY KEY, name STRING) WITH (kafka_topic='users', partitions=1, value_format='JSON');",
    );
    const response = await server.app.inject({
      method: 'POST',
      url: '/query',
      payload: { ksql: 'SELECT * FROM users;' },
    });
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({
      '@type': 'statement_error',
      message: expect.stringContaining("The `USERS` table isn't queryable."),
      statementText: 'SELECT * FROM users;',
    });
  });
});
