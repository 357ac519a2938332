/**
 * The command topic on a real broker: a persistent query submitted over /ksql survives a
 * server restart (catalog replayed, query resumed from its committed offsets), and two servers
 * with one service id share the catalog.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { commandTopicName } from '../../engine/command-log/command-topic.js';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import { type RunningServer, startServer } from '../../server/main.js';
import { describeKafka, readTopic, uniqueName } from '../support/kafka.js';

async function* linesOf(response: Response): AsyncGenerator<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += value;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      yield buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  if (buffered !== '') yield buffered;
}

describeKafka('the command topic on a real broker', (bootstrapServers) => {
  const serviceId = `${uniqueName('cmd').replaceAll('-', '_')}_`;
  const name = uniqueName('clicks').replaceAll('-', '_').toUpperCase();
  const input = `${name}_in`;
  const output = `${name}_out`;
  const clientLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-command-e2e' });
  const kafka = new Kafka({
    brokers: [bootstrapServers],
    clientId: 'command-e2e-producer',
    logLevel: logLevel.NOTHING,
  });
  let producer: Producer;
  const servers: RunningServer[] = [];

  const start = async () => {
    const server = await startServer({
      bootstrapServers,
      port: 0,
      host: '127.0.0.1',
      config: { 'ksql.service.id': serviceId },
    });
    servers.push(server);
    return server;
  };
  const post = (server: RunningServer, path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const produce = (records: [string, object][]) =>
    producer.send({
      topic: input,
      messages: records.map(([key, value]) => ({ key, value: JSON.stringify(value) })),
    });

  /** The rows of a query that ends by itself (a pull query, or a push query with LIMIT). */
  const pullRows = async (server: RunningServer, sql: string): Promise<unknown[]> => {
    const response = await post(server, '/query-stream', { sql });
    const lines: string[] = [];
    for await (const line of linesOf(response)) if (line !== '') lines.push(line);
    if (response.status !== 200) return [lines.join('\n')];
    return lines.slice(1).map((line) => JSON.parse(line));
  };
  /** Asks again until the answer is `expected` (the server catches up), returning the last answer. */
  const eventually = async <T>(ask: () => Promise<T>, expected: T, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await ask();
      if (JSON.stringify(answer) === JSON.stringify(expected) || Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  beforeAll(async () => {
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    for (const server of servers) await server.close().catch(() => {});
    await producer?.disconnect();
    await clientLog.close();
  });

  it('keeps the catalog and the persistent query across a restart, resuming from committed offsets', async () => {
    const first = await start();
    const created = await post(first, '/ksql', {
      ksql: `CREATE STREAM ${name} (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='${input}', partitions=2, value_format='JSON');
             CREATE STREAM ${name}_SLOW WITH (kafka_topic='${output}') AS SELECT user, UCASE(page) AS page, ms FROM ${name} WHERE ms > 100;
             CREATE TABLE ${name}_PER_USER AS SELECT user, COUNT(*) AS n FROM ${name} GROUP BY user;`,
      streamsProperties: { 'auto.offset.reset': 'earliest' },
    });
    expect(created.status).toBe(200);
    const entities = (await created.json()) as {
      commandSequenceNumber: number;
      commandStatus: { status: string; message: string; queryId?: string };
    }[];
    expect(entities.map((e) => e.commandSequenceNumber)).toEqual([0, 1, 2]);
    const queryId = `CSAS_${name}_SLOW_1`;
    expect(entities[1]?.commandStatus).toEqual({
      status: 'SUCCESS',
      message: `Created query with ID ${queryId}`,
      queryId,
    });

    await produce([
      ['ann', { PAGE: '/home', MS: 250 }],
      ['bob', { PAGE: '/cart', MS: 40 }],
      ['cy', { PAGE: '/pay', MS: 900 }],
    ]);
    const before = await readTopic(clientLog, output, 2);
    expect(before.map((r) => r.key?.toString()).sort()).toEqual(['ann', 'cy']);

    const push = await post(first, '/query-stream', {
      sql: `SELECT user, ms FROM ${name} EMIT CHANGES LIMIT 3;`,
      properties: { 'auto.offset.reset': 'earliest' },
    });
    expect(push.status).toBe(200);
    const lines: string[] = [];
    for await (const line of linesOf(push)) if (line !== '') lines.push(line);
    expect(
      lines
        .slice(1)
        .map((l) => JSON.parse(l))
        .sort(),
    ).toEqual([
      ['ann', 250],
      ['bob', 40],
      ['cy', 900],
    ]);

    const pull = `SELECT user, n FROM ${name}_PER_USER WHERE user = 'ann';`;
    expect(await eventually(() => pullRows(first, pull), [['ann', 1]])).toEqual([['ann', 1]]);

    const status = await fetch(`${first.url}/status/stream/\`${name}_SLOW\`/create`);
    expect(await status.json()).toEqual({
      status: 'SUCCESS',
      message: `Created query with ID ${queryId}`,
      queryId,
    });

    await first.close();
    await produce([['dee', { PAGE: '/back', MS: 300 }]]);

    const second = await start();
    const shown = await post(second, '/ksql', { ksql: 'SHOW STREAMS; SHOW QUERIES;' });
    expect(shown.status).toBe(200);
    const [streams, queries] = (await shown.json()) as [
      { streams: { name: string }[] },
      { queries: { id: string; state: string }[] },
    ];
    expect(streams.streams.map((s) => s.name)).toEqual(expect.arrayContaining([name, `${name}_SLOW`]));
    expect(queries.queries).toEqual([
      expect.objectContaining({ id: queryId, state: 'RUNNING' }),
      expect.objectContaining({ id: `CTAS_${name}_PER_USER_2`, state: 'RUNNING' }),
    ]);
    // The table's state came back with the server, and the query went on from where it was.
    expect(await eventually(() => pullRows(second, pull), [['ann', 1]])).toEqual([['ann', 1]]);
    const dee = `SELECT user, n FROM ${name}_PER_USER WHERE user = 'dee';`;
    expect(await eventually(() => pullRows(second, dee), [['dee', 1]])).toEqual([['dee', 1]]);

    // Resumed from its committed offsets: the records before the restart are not written again.
    const after = await readTopic(clientLog, output, 3);
    expect(after.map((r) => r.key?.toString()).sort()).toEqual(['ann', 'cy', 'dee']);
    expect((await readTopic(clientLog, output, 4, 3_000)).length).toBe(3);
  }, 180_000);

  it('shares the command topic between two servers of one service id', async () => {
    const a = servers.at(-1) ?? (await start());
    const b = await start();
    const created = await post(a, '/ksql', {
      ksql: `CREATE TABLE ${name}_T (id STRING PRIMARY KEY, v INT) WITH (kafka_topic='${name}_t', partitions=1, value_format='JSON');`,
    });
    expect(created.status).toBe(200);
    const [entity] = (await created.json()) as { commandSequenceNumber: number }[];
    const described = await post(b, '/ksql', {
      ksql: `DESCRIBE ${name}_T;`,
      commandSequenceNumber: entity!.commandSequenceNumber,
    });
    expect(described.status).toBe(200);
    const [description] = (await described.json()) as { sourceDescription: { name: string } }[];
    expect(description?.sourceDescription.name).toBe(`${name}_T`);

    const tooFar = await post(b, '/ksql', { ksql: 'SHOW STREAMS;', commandSequenceNumber: 1_000_000 });
    expect(tooFar.status).toBe(503);
    expect(await tooFar.json()).toEqual({
      '@type': 'generic_error',
      error_code: 50301,
      message: 'Timed out while waiting for a previous command to execute. command sequence number: 1000000',
    });

    // Both run the persistent query as members of its consumer group: every record is processed.
    for (const server of [a, b]) {
      const shown = await post(server, '/ksql', { ksql: 'SHOW QUERIES;' });
      const [list] = (await shown.json()) as [{ queries: { id: string; state: string }[] }];
      expect(list.queries.map((q) => q.id)).toContain(`CSAS_${name}_SLOW_1`);
    }
    await produce(['e1', 'e2', 'e3', 'e4'].map((user): [string, object] => [user, { PAGE: '/x', MS: 500 }]));
    const keys = new Set((await readTopic(clientLog, output, 7)).map((r) => r.key?.toString()));
    expect([...keys].sort()).toEqual(['ann', 'cy', 'dee', 'e1', 'e2', 'e3', 'e4']);

    // A command that fails validation is a statement error and never reaches the topic.
    const unknown = await post(b, '/ksql', { ksql: 'TERMINATE NO_SUCH_QUERY;' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      '@type': 'statement_error',
      error_code: 40001,
      message: 'Unknown queryId: NO_SUCH_QUERY\nStatement: TERMINATE NO_SUCH_QUERY;',
      statementText: 'TERMINATE NO_SUCH_QUERY;',
      entities: [],
    });
    const malformed = await fetch(`${b.url}/ksql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ksql": "SHOW',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ '@type': 'generic_error', error_code: 40000 });

    const commands = await readTopic(clientLog, commandTopicName(serviceId), 5, 5_000);
    expect(commands.map((r) => r.key?.toString())).toEqual([
      `stream/\`${name}\`/create`,
      `stream/\`${name}_SLOW\`/create`,
      `table/\`${name}_PER_USER\`/create`,
      `table/\`${name}_T\`/create`,
    ]);
  }, 180_000);
});
