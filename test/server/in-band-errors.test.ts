import { afterAll, describe, expect, it } from 'vitest';
import { SqlTypes } from '../../engine/catalog/types.js';
import { LogError } from '../../engine/log/log.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import type { PushQuery } from '../../engine/runtime/push-query.js';
import { buildServer } from '../../server/app.js';
import { json, streamedRowsOf } from './support.js';

/** A push query that sends one row, then fails as `failure` says. */
function failingQuery(failure: Error): PushQuery {
  return {
    id: 'transient_S_1',
    columns: [{ name: 'V', type: SqlTypes.STRING }],
    close: async () => {},
    async *[Symbol.asyncIterator]() {
      yield { values: ['a'], timestamp: 0 };
      throw failure;
    },
  };
}

function serverFailingWith(failure: Error) {
  return buildServer({
    engine: {
      execute: async () => [],
      query: async () => failingQuery(failure),
      log: new MemoryLog(),
    },
  });
}

describe('a failure after the rows have started', () => {
  const kafkaDown = serverFailingWith(new LogError('broker', 'Kafka went away'));
  const bug = serverFailingWith(new TypeError("Cannot read properties of undefined (reading 'x')"));
  afterAll(async () => {
    await kafkaDown.close();
    await bug.close();
  });

  it('ends the /query array with an errorMessage naming the Kafka failure', async () => {
    const response = await kafkaDown.inject({
      method: 'POST',
      url: '/query',
      payload: { ksql: 'SELECT v FROM s EMIT CHANGES;' },
    });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual(streamedRowsOf(response.body));
    expect(streamedRowsOf(response.body).slice(1)).toEqual([
      { row: { columns: ['a'] } },
      {
        errorMessage: {
          '@type': 'generic_error',
          error_code: 50000,
          message: 'Query failed: Kafka went away',
        },
      },
    ]);
  });

  it('keeps the details of an unexpected failure out of the response', async () => {
    const response = await bug.inject({
      method: 'POST',
      url: '/query-stream',
      payload: { sql: 'SELECT v FROM s EMIT CHANGES;' },
    });
    const lines = response.body.split('\n');
    expect(lines.slice(1)).toEqual([
      '["a"]',
      JSON.stringify({
        '@type': 'generic_error',
        error_code: 50000,
        message:
          'The server encountered an internal error when processing the query. Please consult the server logs for more information.',
      }),
      '',
    ]);
  });

  it('closes the /query-stream JSON array after the error', async () => {
    const response = await kafkaDown.inject({
      method: 'POST',
      url: '/query-stream',
      headers: { accept: 'application/json' },
      payload: { sql: 'SELECT v FROM s EMIT CHANGES;' },
    });
    expect((json(response) as unknown[]).slice(1)).toEqual([
      ['a'],
      { '@type': 'generic_error', error_code: 50000, message: 'Query failed: Kafka went away' },
    ]);
  });
});
