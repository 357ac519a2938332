import { afterAll, beforeAll, expect, it } from 'vitest';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import { type RunningServer, startServer } from '../../server/main.js';
import { describeKafka, readTopic, uniqueName } from '../support/kafka.js';

/** The lines of a streaming response body as they arrive. */
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

describeKafka('the REST server on a real broker', (bootstrapServers) => {
  const clientLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-e2e-client' });
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({
      bootstrapServers,
      port: 0,
      host: '127.0.0.1',
      // A service id of its own: the command topic of this run only.
      config: { 'ksql.service.id': `${uniqueName('e2e').replaceAll('-', '_')}_` },
    });
  });

  afterAll(async () => {
    await server?.close();
    await clientLog.close();
  });

  const post = (path: string, body: unknown, accept?: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
      body: JSON.stringify(body),
    });

  it('creates a stream and a CSAS over /ksql, fills the sink topic, and streams a push query', async () => {
    const name = uniqueName('views').replaceAll('-', '_');
    const input = `${name}_in`;
    const output = `${name}_out`;
    const created = await post('/ksql', {
      ksql: `CREATE STREAM ${name} (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='${input}', partitions=1, value_format='JSON');
             CREATE STREAM ${name}_slow WITH (kafka_topic='${output}') AS SELECT user, UCASE(page) AS page, ms FROM ${name} WHERE ms > 100;`,
      streamsProperties: { 'auto.offset.reset': 'earliest' },
    });
    expect(created.status).toBe(200);
    const entities = (await created.json()) as { commandStatus: { status: string; message: string } }[];
    expect(entities.map((e) => e.commandStatus.status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(entities[1]?.commandStatus.message).toMatch(/^Created query with ID CSAS_/);

    await clientLog.append(input, [
      { key: Buffer.from('ann'), value: Buffer.from('{"PAGE":"/home","MS":250}') },
      { key: Buffer.from('bob'), value: Buffer.from('{"PAGE":"/cart","MS":40}') },
      { key: Buffer.from('cy'), value: Buffer.from('{"PAGE":"/pay","MS":900}') },
    ]);

    const received = await readTopic(clientLog, output, 2);
    expect(received.map((r) => [r.key?.toString(), JSON.parse(r.value!.toString())])).toEqual([
      ['ann', { PAGE: '/HOME', MS: 250 }],
      ['cy', { PAGE: '/PAY', MS: 900 }],
    ]);

    const query = await post('/query-stream', {
      sql: `SELECT user, page, ms FROM ${name} EMIT CHANGES LIMIT 3;`,
      properties: { 'auto.offset.reset': 'earliest' },
    });
    expect(query.status).toBe(200);
    expect(query.headers.get('content-type')).toBe('application/vnd.ksqlapi.delimited.v1');
    const lines: string[] = [];
    for await (const line of linesOf(query)) if (line !== '') lines.push(line);
    expect(JSON.parse(lines[0]!)).toEqual({
      queryId: expect.stringMatching(/^transient_/),
      columnNames: ['USER', 'PAGE', 'MS'],
      columnTypes: ['STRING', 'STRING', 'INTEGER'],
    });
    expect(lines.slice(1).map((line) => JSON.parse(line))).toEqual([
      ['ann', '/home', 250],
      ['bob', '/cart', 40],
      ['cy', '/pay', 900],
    ]);
  }, 120_000);

  it('ends a push query without LIMIT on /close-query', async () => {
    const name = uniqueName('pings').replaceAll('-', '_');
    const created = await post('/ksql', {
      ksql: `CREATE STREAM ${name} (id INT KEY, v STRING) WITH (kafka_topic='${name}', partitions=1, value_format='JSON');
             INSERT INTO ${name} (id, v) VALUES (1, 'one');`,
    });
    expect(created.status).toBe(200);
    const query = await post(
      '/query',
      { ksql: `SELECT v FROM ${name} EMIT CHANGES;`, streamsProperties: { 'auto.offset.reset': 'earliest' } },
      'application/vnd.ksql.v1+json',
    );
    expect(query.status).toBe(200);
    const lines = linesOf(query);
    const header = JSON.parse((await lines.next()).value.replace(/^\[/, '').replace(/,$/, '')) as {
      header: { queryId: string; schema: string };
    };
    expect(header.header.schema).toBe('`V` STRING');
    let row = '';
    while (row === '') row = (await lines.next()).value as string;
    expect(row).toBe('{"row":{"columns":["one"]}},');

    const closed = await post('/close-query', { queryId: header.header.queryId });
    expect(closed.status).toBe(200);
    const rest: string[] = [];
    for await (const line of lines) if (line !== '') rest.push(line);
    expect(rest).toEqual(['{"finalMessage":"Query Completed"}]']);
  }, 120_000);
});
