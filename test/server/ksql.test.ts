import { afterEach, describe, expect, it } from 'vitest';
import { CLICKS, json, postKsql, type TestServer, testServer } from './support.js';

describe('POST /ksql', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  it('answers a CREATE, SHOW and DESCRIBE round with ksqlDB entities', async () => {
    server = testServer();
    const created = await postKsql(server.app, CLICKS);
    expect(created.statusCode).toBe(200);
    expect(created.headers['content-type']).toMatch(/^application\/json/);
    expect(json(created)).toEqual([
      {
        '@type': 'currentStatus',
        statementText: CLICKS,
        commandId: 'stream/`CLICKS`/create',
        commandStatus: { status: 'SUCCESS', message: 'Stream created' },
        commandSequenceNumber: -1,
        warnings: [],
      },
    ]);

    const listed = await postKsql(server.app, 'SHOW STREAMS;');
    expect(json(listed)).toEqual([
      {
        '@type': 'streams',
        statementText: 'SHOW STREAMS;',
        streams: [
          {
            type: 'STREAM',
            name: 'CLICKS',
            topic: 'clicks',
            keyFormat: 'KAFKA',
            valueFormat: 'JSON',
            isWindowed: false,
          },
        ],
        warnings: [],
      },
    ]);

    const described = (await postKsql(server.app, 'DESCRIBE clicks;').then(json)) as [
      Record<string, unknown>,
    ];
    expect(described).toHaveLength(1);
    expect(described[0]).toMatchObject({
      '@type': 'sourceDescription',
      statementText: 'DESCRIBE clicks;',
      warnings: [],
      sourceDescription: {
        name: 'CLICKS',
        type: 'STREAM',
        topic: 'clicks',
        keyFormat: 'KAFKA',
        valueFormat: 'JSON',
        partitions: 1,
        fields: [
          { name: 'USER', schema: { type: 'STRING', fields: null, memberSchema: null }, type: 'KEY' },
          { name: 'PAGE', schema: { type: 'STRING', fields: null, memberSchema: null } },
          { name: 'MS', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
        ],
      },
    });
  });

  it('runs several statements in order, one entity each', async () => {
    server = testServer();
    const response = await postKsql(
      server.app,
      `${CLICKS}\nCREATE STREAM big AS SELECT * FROM clicks WHERE ms > 100;\nSHOW QUERIES;`,
    );
    expect(response.statusCode).toBe(200);
    const entities = json(response) as Record<string, unknown>[];
    expect(entities.map((e) => e['@type'])).toEqual(['currentStatus', 'currentStatus', 'queries']);
    expect(entities[1]).toMatchObject({
      statementText: 'CREATE STREAM big AS SELECT * FROM clicks WHERE ms > 100;',
      commandId: 'stream/`BIG`/create',
      commandStatus: {
        status: 'SUCCESS',
        message: 'Created query with ID CSAS_BIG_0',
        queryId: 'CSAS_BIG_0',
      },
    });
    expect(entities[2]).toMatchObject({
      queries: [expect.objectContaining({ id: 'CSAS_BIG_0', sinks: ['BIG'], queryType: 'PERSISTENT' })],
    });
  });

  it('substitutes the request session variables', async () => {
    server = testServer();
    const response = await postKsql(
      server.app,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ksqlDB's variable syntax
      "CREATE STREAM ${name} (id INT KEY, v STRING) WITH (kafka_topic='${tname}', partitions=1, value_format='JSON');",
      { sessionVariables: { name: 'orders', tname: 'orders_topic' } },
    );
    expect(response.statusCode).toBe(200);
    const listed = (await postKsql(server.app, 'SHOW STREAMS;').then(json)) as [{ streams: unknown[] }];
    expect(listed[0].streams).toEqual([expect.objectContaining({ name: 'ORDERS', topic: 'orders_topic' })]);
  });

  it('applies streamsProperties to the statements of the request', async () => {
    server = testServer();
    await postKsql(server.app, CLICKS);
    const response = await postKsql(server.app, 'SHOW PROPERTIES;', {
      streamsProperties: { 'ksql.streams.auto.offset.reset': 'earliest' },
    });
    const [entity] = json(response) as [{ properties: { name: string; value: string }[] }];
    expect(entity.properties).toContainEqual(
      expect.objectContaining({ name: 'ksql.streams.auto.offset.reset', value: 'earliest' }),
    );
  });

  it('reports a failing statement with the entities of the statements before it', async () => {
    server = testServer();
    const response = await postKsql(server.app, `${CLICKS} DROP STREAM nope;`);
    expect(response.statusCode).toBe(400);
    expect(json(response)).toEqual({
      '@type': 'statement_error',
      error_code: 40001,
      message: 'Stream NOPE does not exist\nStatement: DROP STREAM nope;',
      statementText: 'DROP STREAM nope;',
      entities: [expect.objectContaining({ '@type': 'currentStatus', commandId: 'stream/`CLICKS`/create' })],
    });
  });

  it('refuses SELECT anywhere in the request before running any statement', async () => {
    server = testServer();
    const response = await postKsql(server.app, `${CLICKS} SELECT * FROM clicks EMIT CHANGES;`);
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ '@type': 'statement_error', error_code: 40002 });
    const listed = (await postKsql(server.app, 'SHOW STREAMS;').then(json)) as [{ streams: unknown[] }];
    expect(listed[0].streams).toEqual([]);
  });

  it('keeps command statuses for GET /status', async () => {
    server = testServer();
    await postKsql(server.app, `${CLICKS} CREATE STREAM big AS SELECT * FROM clicks;`);
    const all = await server.app.inject({ method: 'GET', url: '/status' });
    expect(json(all)).toEqual({
      commandStatuses: { 'stream/`CLICKS`/create': 'SUCCESS', 'stream/`BIG`/create': 'SUCCESS' },
    });
    const one = await server.app.inject({
      method: 'GET',
      url: `/status/STREAM/${encodeURIComponent('`BIG`')}/CREATE`,
    });
    expect(one.statusCode).toBe(200);
    expect(json(one)).toEqual({
      status: 'SUCCESS',
      message: 'Created query with ID CSAS_BIG_0',
      queryId: 'CSAS_BIG_0',
    });
    const unknown = await server.app.inject({ method: 'GET', url: '/status/stream/NOPE/create' });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toEqual({
      '@type': 'generic_error',
      error_code: 40400,
      message: 'Command not found',
    });
  });

  it('keeps DEFINE and SET to the request, answering no entity for them, as ksqlDB does', async () => {
    server = testServer();
    const response = await postKsql(
      server.app,
      [
        "DEFINE tname = 'events';",
        "SET 'ksql.streams.auto.offset.reset' = 'earliest';",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: ksqlDB's variable syntax
        "CREATE STREAM events (id INT KEY, v STRING) WITH (kafka_topic='${tname}', partitions=1, value_format='JSON');",
        'SHOW VARIABLES;',
        'SHOW PROPERTIES;',
        'UNDEFINE tname;',
        'UNDEFINE nope;',
      ].join('\n'),
      { sessionVariables: { other: 1 } },
    );
    expect(response.statusCode).toBe(200);
    const entities = json(response) as Record<string, unknown>[];
    expect(entities.map((e) => e['@type'])).toEqual([
      'currentStatus',
      'variables',
      'properties',
      'warning_entity',
    ]);
    expect(entities[1]).toMatchObject({
      variables: [
        { name: 'other', value: '1' },
        { name: 'tname', value: 'events' },
      ],
    });
    expect(entities[2]).toMatchObject({
      properties: expect.arrayContaining([
        expect.objectContaining({ name: 'ksql.streams.auto.offset.reset', value: 'earliest' }),
      ]),
    });
    expect(entities[3]).toEqual({
      '@type': 'warning_entity',
      statementText: 'UNDEFINE nope;',
      message: "Cannot undefine variable 'nope' which was never defined",
      warnings: [],
    });

    const later = json(await postKsql(server.app, 'SHOW VARIABLES; SHOW PROPERTIES;')) as Record<
      string,
      unknown
    >[];
    expect(later[0]).toMatchObject({ variables: [] });
    expect(later[1]).toMatchObject({
      properties: expect.not.arrayContaining([
        expect.objectContaining({ name: 'ksql.streams.auto.offset.reset', value: 'earliest' }),
      ]),
    });
  });

  it('parses every statement before running any', async () => {
    server = testServer();
    const response = await postKsql(server.app, `${CLICKS}\nCREATE STREM oops;`);
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({
      error_code: 40001,
      statementText: 'CREATE STREM oops;',
      entities: [],
    });
    const listed = (await postKsql(server.app, 'SHOW STREAMS;').then(json)) as [{ streams: unknown[] }];
    expect(listed[0].streams).toEqual([]);
  });
});
