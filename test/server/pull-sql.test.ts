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
});
