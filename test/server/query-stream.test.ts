import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLICKS, EARLIEST, json, postKsql, streamedRowsOf, type TestServer, testServer } from './support.js';

async function clicks(server: TestServer) {
  await postKsql(
    server.app,
    `${CLICKS} INSERT INTO clicks (user, page, ms) VALUES ('ann', '/a', 10); INSERT INTO clicks (user, page, ms) VALUES ('bob', '/b', 20);`,
  );
}

const QUERY = { sql: 'SELECT user, ms FROM clicks EMIT CHANGES LIMIT 2;', properties: EARLIEST };

describe('POST /query-stream', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  it('answers newline-delimited JSON by default: the metadata, then one array per row', async () => {
    server = testServer();
    await clicks(server);
    const response = await server.app.inject({ method: 'POST', url: '/query-stream', payload: QUERY });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.ksqlapi.delimited.v1');
    const lines = response.body.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual({
      queryId: server.started[0]?.id,
      columnNames: ['USER', 'MS'],
      columnTypes: ['STRING', 'INTEGER'],
    });
    expect(lines.slice(1, 3)).toEqual(['["ann",10]', '["bob",20]']);
  });

  it('answers one JSON array for application/json', async () => {
    server = testServer();
    await clicks(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query-stream',
      headers: { accept: 'application/json' },
      payload: QUERY,
    });
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).not.toContain('\n');
    expect(json(response)).toEqual([
      { queryId: server.started[0]?.id, columnNames: ['USER', 'MS'], columnTypes: ['STRING', 'INTEGER'] },
      ['ann', 10],
      ['bob', 20],
    ]);
  });

  it("answers ksqlDB's StreamedRow array for application/vnd.ksql.v1+json, as the Java client asks", async () => {
    server = testServer();
    await clicks(server);
    const response = await server.app.inject({
      method: 'POST',
      url: '/query-stream',
      headers: { accept: 'application/vnd.ksql.v1+json' },
      payload: QUERY,
    });
    expect(response.headers['content-type']).toBe('application/vnd.ksql.v1+json');
    expect(json(response)).toEqual([
      { header: { queryId: server.started[0]?.id, schema: '`USER` STRING, `MS` INTEGER' } },
      { row: { columns: ['ann', 10] } },
      { row: { columns: ['bob', 20] } },
      { finalMessage: 'Limit Reached' },
    ]);
  });

  it('honours q-values in Accept and refuses a type it cannot produce', async () => {
    server = testServer();
    await clicks(server);
    const preferred = await server.app.inject({
      method: 'POST',
      url: '/query-stream',
      headers: { accept: 'application/vnd.ksqlapi.delimited.v1;q=0.5, application/json;q=0.9' },
      payload: QUERY,
    });
    expect(preferred.headers['content-type']).toBe('application/json');
    const refused = await server.app.inject({
      method: 'POST',
      url: '/query-stream',
      headers: { accept: 'text/html' },
      payload: QUERY,
    });
    expect(refused.statusCode).toBe(406);
    expect(json(refused)).toMatchObject({ '@type': 'generic_error', error_code: 40600 });
  });

  it('ends a query on POST /close-query', async () => {
    server = testServer();
    await clicks(server);
    const pending = server.app.inject({
      method: 'POST',
      url: '/query-stream',
      headers: { accept: 'application/vnd.ksql.v1+json' },
      payload: { sql: 'SELECT user FROM clicks EMIT CHANGES;', properties: EARLIEST },
    });
    await vi.waitFor(() => expect(server.started).toHaveLength(1));
    const queryId = server.started[0]!.id;
    const closed = await server.app.inject({ method: 'POST', url: '/close-query', payload: { queryId } });
    expect(closed.statusCode).toBe(200);
    expect(closed.body).toBe('');
    const response = await pending;
    expect(streamedRowsOf(response.body).at(-1)).toEqual({ finalMessage: 'Query Completed' });
    expect(server.closed.has(queryId)).toBe(true);

    const again = await server.app.inject({ method: 'POST', url: '/close-query', payload: { queryId } });
    expect(again.statusCode).toBe(400);
    expect(json(again)).toEqual({
      '@type': 'generic_error',
      error_code: 40000,
      message: `No query with id ${queryId}`,
    });
  });

  it('refuses a push query beyond ksql.max.push.queries, and accepts one again once a slot frees', async () => {
    server = testServer({ maxPushQueries: 1 });
    await clicks(server);
    const first = server.app.inject({
      method: 'POST',
      url: '/query-stream',
      payload: { sql: 'SELECT user FROM clicks EMIT CHANGES;', properties: EARLIEST },
    });
    await vi.waitFor(() => expect(server.started).toHaveLength(1));
    const refused = await server.app.inject({ method: 'POST', url: '/query-stream', payload: QUERY });
    expect(refused.statusCode).toBe(400);
    expect(json(refused)).toEqual({
      '@type': 'statement_error',
      error_code: 40001,
      message:
        "Not executing statement(s) as it would cause the number of active, push queries to exceed the configured limit. Terminate existing PUSH queries, or increase the 'ksql.max.push.queries' setting via the 'ksql-server.properties' file. Current push query count: 1. Configured limit: 1.",
      statementText: QUERY.sql,
      entities: [],
    });
    expect(server.started).toHaveLength(1);

    await server.app.inject({
      method: 'POST',
      url: '/close-query',
      payload: { queryId: server.started[0]!.id },
    });
    await first;
    const accepted = await server.app.inject({ method: 'POST', url: '/query-stream', payload: QUERY });
    expect(accepted.statusCode).toBe(200);
  });

  it('closing the listening server ends a stream that is still open', async () => {
    server = testServer();
    await clicks(server);
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.app.server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/query-stream`, {
      method: 'POST',
      headers: { accept: 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ sql: 'SELECT user FROM clicks EMIT CHANGES;', properties: EARLIEST }),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let body = '';
    while (!body.includes('"bob"')) body += (await reader.read()).value ?? '';
    await server.app.close();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) body += chunk.value;
    expect(streamedRowsOf(body)).toEqual([
      { header: { queryId: server.started[0]?.id, schema: '`USER` STRING' } },
      { row: { columns: ['ann'] } },
      { row: { columns: ['bob'] } },
      { finalMessage: 'Query Completed' },
    ]);
  });
});
