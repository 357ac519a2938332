import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import { buildServer } from '../../server/app.js';
import { CLICKS, json, postKsql, type TestServer, testServer } from './support.js';

const raw = (
  url: string,
  payload: string,
  contentType: string | undefined = 'application/json',
): InjectOptions => ({
  method: 'POST',
  url,
  payload,
  headers: contentType === undefined ? {} : { 'content-type': contentType },
});
const post = (url: string, payload: object): InjectOptions => ({ method: 'POST', url, payload });

const badRequest = (message: string | RegExp) => ({
  '@type': 'generic_error',
  error_code: 40000,
  message: typeof message === 'string' ? message : expect.stringMatching(message),
});
const badStatement = (message: string | RegExp, statementText: string, errorCode = 40001) => ({
  '@type': 'statement_error',
  error_code: errorCode,
  message: typeof message === 'string' ? message : expect.stringMatching(message),
  statementText,
  entities: [],
});

const QUERY_ENDPOINT =
  "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

const cases: readonly [string, InjectOptions, number, unknown][] = [
  ['malformed JSON on /ksql', raw('/ksql', '{"ksql": '), 400, badRequest(/^Invalid JSON in request: /)],
  [
    'malformed JSON without a content type',
    raw('/ksql', '{ksql', undefined),
    400,
    badRequest(/^Invalid JSON in request: /),
  ],
  [
    'malformed JSON on /query-stream',
    raw('/query-stream', '[1,'),
    400,
    badRequest(/^Invalid JSON in request: /),
  ],
  [
    'malformed JSON on /close-query',
    raw('/close-query', 'nope'),
    400,
    badRequest(/^Invalid JSON in request: /),
  ],
  ['an empty body', raw('/ksql', ''), 400, badRequest('Invalid JSON in request: the body is empty')],
  ['a body that is not an object', raw('/ksql', '["SHOW STREAMS;"]'), 400, badRequest(/must be object/)],
  ['a missing ksql field', post('/ksql', { sql: 'SHOW STREAMS;' }), 400, badRequest(/ksql/)],
  ['ksql of the wrong type', post('/ksql', { ksql: 42 }), 400, badRequest(/ksql must be string/)],
  ['an empty ksql', post('/ksql', { ksql: '' }), 400, badRequest('"ksql" field must be populated')],
  [
    'ksql with only a comment',
    post('/ksql', { ksql: '-- nothing' }),
    400,
    badRequest('"ksql" field must be populated'),
  ],
  [
    'an unknown statement',
    post('/ksql', { ksql: 'FROBNICATE everything;' }),
    400,
    badStatement(
      /^line 1:1: Syntax Error\n[\s\S]*\nStatement: FROBNICATE everything;$/,
      'FROBNICATE everything;',
    ),
  ],
  [
    'bad SQL',
    post('/ksql', { ksql: 'CREATE STREM x;' }),
    400,
    badStatement(
      /^line 1:8: Syntax Error\n[\s\S]*'STREM'[\s\S]*\nStatement: CREATE STREM x;$/,
      'CREATE STREM x;',
    ),
  ],
  [
    'a source that does not exist',
    post('/ksql', { ksql: 'DESCRIBE nope;' }),
    400,
    badStatement(
      "Could not find STREAM/TABLE 'NOPE' in the Metastore\nStatement: DESCRIBE nope;",
      'DESCRIBE nope;',
    ),
  ],
  [
    'a value that does not fit its column',
    post('/ksql', { ksql: "INSERT INTO clicks (user, ms) VALUES ('a', 'many');" }),
    400,
    badStatement(
      /^Expected type INTEGER for field MS/,
      "INSERT INTO clicks (user, ms) VALUES ('a', 'many');",
    ),
  ],
  [
    'an expression that fails in INSERT VALUES',
    post('/ksql', { ksql: "INSERT INTO clicks (user, ms) VALUES ('a', 1 / 0);" }),
    400,
    badStatement(/by zero/, "INSERT INTO clicks (user, ms) VALUES ('a', 1 / 0);"),
  ],
  [
    'a statement Sluice does not support yet',
    post('/ksql', {
      ksql: 'CREATE TABLE t AS SELECT *, COUNT(*) FROM clicks GROUP BY user;',
    }),
    400,
    badStatement(/not supported yet/, 'CREATE TABLE t AS SELECT *, COUNT(*) FROM clicks GROUP BY user;'),
  ],
  [
    'SELECT on /ksql',
    post('/ksql', { ksql: 'SELECT * FROM clicks EMIT CHANGES;' }),
    400,
    badStatement(QUERY_ENDPOINT, 'SELECT * FROM clicks EMIT CHANGES;', 40002),
  ],
  [
    'PRINT on /ksql',
    post('/ksql', { ksql: "PRINT 'clicks';" }),
    400,
    badStatement(QUERY_ENDPOINT, "PRINT 'clicks';", 40002),
  ],
  [
    'a prohibited property override',
    post('/ksql', { ksql: 'SHOW STREAMS;', streamsProperties: { 'ksql.service.id': 'other' } }),
    400,
    badRequest(
      'One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [ksql.service.id]',
    ),
  ],
  [
    'a statement that is not a query on /query',
    post('/query', { ksql: 'SHOW STREAMS;' }),
    400,
    badRequest("Statement type `ListStreams' not supported for this resource"),
  ],
  [
    'an empty ksql on /query',
    post('/query', { ksql: ' ' }),
    400,
    badRequest('"ksql" field must be populated'),
  ],
  [
    'bad SQL on /query',
    post('/query', { ksql: 'SELECT FROM;' }),
    400,
    badStatement(/^line 1:8: Syntax Error/, 'SELECT FROM;'),
  ],
  [
    'a pull query ksqlDB refuses on /query',
    post('/query', { ksql: 'SELECT * FROM clicks GROUP BY user;' }),
    400,
    badStatement(/^Pull queries don't support GROUP BY clauses\./, 'SELECT * FROM clicks GROUP BY user;'),
  ],
  [
    'an unknown source on /query-stream',
    post('/query-stream', { sql: 'SELECT * FROM nope EMIT CHANGES;' }),
    400,
    badStatement(
      /NOPE[\s\S]*\nStatement: SELECT \* FROM nope EMIT CHANGES;$/,
      'SELECT * FROM nope EMIT CHANGES;',
    ),
  ],
  [
    'an empty sql on /query-stream',
    post('/query-stream', { sql: '' }),
    400,
    badRequest('"sql" field must be populated'),
  ],
  [
    'an unknown query id',
    post('/close-query', { queryId: 'transient_NOPE_1' }),
    400,
    badRequest('No query with id transient_NOPE_1'),
  ],
  ['a close-query without an id', post('/close-query', {}), 400, badRequest(/queryId/)],
];

describe('bad requests get ksqlDB error entities', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = testServer();
    await postKsql(server.app, CLICKS);
  });
  afterAll(async () => server.close());

  it.each(cases)('%s', async (_name, request, status, body) => {
    const response = await server.app.inject(request);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(json(response)).toEqual(body);
  });

  it('answers 404 on an unknown path, and keeps serving', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toBe('Not Found');
    expect((await server.app.inject({ method: 'GET', url: '/info' })).statusCode).toBe(200);
  });
});

describe('unexpected failures', () => {
  const engine = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
  const app = buildServer({
    engine: {
      execute: async () => {
        throw new Error('disk on fire at /var/lib/secret');
      },
      query: async () => {
        throw new TypeError('undefined is not a function (internal.ts:12)');
      },
      log: engine.log,
    },
  });
  afterAll(async () => app.close());

  const internal = {
    '@type': 'generic_error',
    error_code: 50000,
    message:
      'The server encountered an internal error when processing the query. Please consult the server logs for more information.',
  };

  it.each([
    ['/ksql', { ksql: 'SHOW STREAMS;' }],
    ['/query', { ksql: 'SELECT * FROM s EMIT CHANGES;' }],
    ['/query-stream', { sql: 'SELECT * FROM s EMIT CHANGES;' }],
  ])('%s answers 500 without the error details', async (url, payload) => {
    const response = await app.inject({ method: 'POST', url, payload });
    expect(response.statusCode).toBe(500);
    expect(json(response)).toEqual(internal);
  });
});
