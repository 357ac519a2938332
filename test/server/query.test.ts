import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLICKS, EARLIEST, postKsql, streamedRowsOf, type TestServer, testServer } from './support.js';

const ALL_TYPES = `CREATE STREAM typed (id BIGINT KEY, d DECIMAL(6, 2), dbl DOUBLE, b BYTES, dt DATE, tm TIME, ts TIMESTAMP,
  arr ARRAY<INT>, m MAP<STRING, DOUBLE>, st STRUCT<A INT, \`b\` STRING>, flag BOOLEAN)
  WITH (kafka_topic='typed', partitions=1, value_format='JSON');`;

async function clicksWith(server: TestServer, rows: readonly [string, string, number][]) {
  await postKsql(server.app, CLICKS);
  for (const [user, page, ms] of rows)
    await postKsql(server.app, `INSERT INTO clicks (user, page, ms) VALUES ('${user}', '${page}', ${ms});`);
}

describe('POST /query', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  it('streams the header, one row per line and the final message, as the ksql CLI parses them', async () => {
    server = testServer();
    await clicksWith(server, [
      ['ann', '/a', 10],
      ['bob', '/b', 500],
      ['cy', '/c', 7],
    ]);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query',
      headers: { accept: 'application/json' },
      payload: {
        ksql: 'SELECT page, ms * 2 AS double_ms FROM clicks WHERE ms > 5 EMIT CHANGES LIMIT 2;',
        streamsProperties: EARLIEST,
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['transfer-encoding']).toBe('chunked');
    const lines = response.body.split('\n').filter((line) => line !== '');
    expect(lines[0]).toMatch(/^\[\{"header":/);
    expect(lines.slice(1, -1).every((line) => line.endsWith('},'))).toBe(true);
    expect(lines.at(-1)).toBe('{"finalMessage":"Limit Reached"}]');
    expect(JSON.parse(response.body)).toHaveLength(4);

    const [header, ...rest] = streamedRowsOf(response.body);
    expect(header).toEqual({
      header: {
        queryId: expect.stringMatching(/^transient_CLICKS_\d+$/),
        schema: '`PAGE` STRING, `DOUBLE_MS` INTEGER',
      },
    });
    expect(rest).toEqual([
      { row: { columns: ['/a', 20] } },
      { row: { columns: ['/b', 1000] } },
      { finalMessage: 'Limit Reached' },
    ]);
    expect(server.closed).toEqual(new Set([server.started[0]?.id]));
  });

  it("renders values as ksqlDB's REST API does", async () => {
    server = testServer();
    await postKsql(server.app, ALL_TYPES);
    await postKsql(
      server.app,
      `INSERT INTO typed (id, d, dbl, b, dt, tm, ts, arr, m, st, flag) VALUES (9007199254740993, 12.5, 3,
        TO_BYTES('abc', 'utf8'), FROM_DAYS(19000), PARSE_TIME('10:11:12', 'HH:mm:ss'), FROM_UNIXTIME(1700000000123),
        ARRAY[1, NULL], MAP('x' := 0.5), STRUCT(A := 1, \`b\` := 'q'), true);`,
    );
    const response = await server.app.inject({
      method: 'POST',
      url: '/query',
      payload: { ksql: 'SELECT * FROM typed EMIT CHANGES LIMIT 1;', streamsProperties: EARLIEST },
    });
    const [header, row] = streamedRowsOf(response.body) as [{ header: { schema: string } }, unknown];
    expect(header.header.schema).toBe(
      '`ID` BIGINT, `D` DECIMAL(6, 2), `DBL` DOUBLE, `B` BYTES, `DT` DATE, `TM` TIME, `TS` TIMESTAMP, ' +
        '`ARR` ARRAY<INTEGER>, `M` MAP<STRING, DOUBLE>, `ST` STRUCT<`A` INTEGER, `b` STRING>, `FLAG` BOOLEAN',
    );
    const rowLine = response.body.split('\n')[1];
    expect(rowLine).toBe(
      '{"row":{"columns":[9007199254740993,12.50,3.0,"YWJj","2022-01-08","10:11:12","2023-11-14T22:13:20.123",' +
        '[1,null],{"x":0.5},{"A":1,"b":"q"},true]}},',
    );
    expect(row).toEqual({
      row: {
        columns: [
          expect.any(Number), // past 2^53: the row text above checks it exactly
          12.5,
          3,
          'YWJj',
          '2022-01-08',
          '10:11:12',
          '2023-11-14T22:13:20.123',
          [1, null],
          { x: 0.5 },
          { A: 1, b: 'q' },
          true,
        ],
      },
    });
  });

  it('answers the delimited form when asked for it', async () => {
    server = testServer();
    await clicksWith(server, [['ann', '/a', 10]]);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query',
      headers: { accept: 'application/vnd.ksqlapi.delimited.v1' },
      payload: { ksql: 'SELECT user, page FROM clicks EMIT CHANGES LIMIT 1;', streamsProperties: EARLIEST },
    });
    expect(response.headers['content-type']).toBe('application/vnd.ksqlapi.delimited.v1');
    const lines = response.body.split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      columnNames: ['USER', 'PAGE'],
      columnTypes: ['STRING', 'STRING'],
    });
    expect(lines.slice(1)).toEqual(['["ann","/a"]', '']);
  });

  it('closes the push query when the client disconnects', async () => {
    server = testServer();
    await clicksWith(server, [['ann', '/a', 10]]);
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.app.server.address() as AddressInfo;
    const firstRow = new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/query',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes('"row"')) {
              req.destroy();
              resolve(text);
            }
          });
          res.on('error', () => {});
        },
      );
      req.on('error', (err) => {
        if (!req.destroyed) reject(err);
      });
      req.end(JSON.stringify({ ksql: 'SELECT * FROM clicks EMIT CHANGES;', streamsProperties: EARLIEST }));
    });
    expect(streamedRowsOf(await firstRow)[1]).toEqual({ row: { columns: ['ann', '/a', 10] } });
    const id = server.started[0]?.id;
    await vi.waitFor(() => expect(server.closed.has(id ?? '')).toBe(true), { timeout: 10_000 });
  });

  it('writes bare newlines while no row comes, which the CLI skips', async () => {
    server = testServer({ keepAliveIntervalMs: 5 });
    await postKsql(server.app, CLICKS);
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.app.server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/query' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.endsWith(',\n\n\n')) {
            req.destroy();
            resolve(text);
          }
        });
        res.on('error', () => {});
      });
      req.on('error', (err) => {
        if (!req.destroyed) reject(err);
      });
      req.end(JSON.stringify({ ksql: 'SELECT * FROM clicks EMIT CHANGES;' }));
    });
    expect(streamedRowsOf(body)).toEqual([
      { header: { queryId: expect.any(String), schema: '`USER` STRING, `PAGE` STRING, `MS` INTEGER' } },
    ]);
  });

  it('ends running queries with "Query Completed" when the server closes', async () => {
    server = testServer();
    await postKsql(server.app, CLICKS);
    const pending = server.app.inject({
      method: 'POST',
      url: '/query',
      payload: { ksql: 'SELECT * FROM clicks EMIT CHANGES;' },
    });
    await vi.waitFor(() => expect(server.started).toHaveLength(1));
    await server.app.close();
    const response = await pending;
    expect(streamedRowsOf(response.body).at(-1)).toEqual({ finalMessage: 'Query Completed' });
  });
});
