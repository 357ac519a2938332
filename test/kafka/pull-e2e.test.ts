import { afterAll, beforeAll, expect, it } from 'vitest';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import { type RunningServer, startServer } from '../../server/main.js';
import { describeKafka, uniqueName } from '../support/kafka.js';

describeKafka('pull queries on a real broker', (bootstrapServers) => {
  const clientLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-pull-e2e-client' });
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({
      bootstrapServers,
      port: 0,
      host: '127.0.0.1',
      config: { 'ksql.service.id': `${uniqueName('pull').replaceAll('-', '_')}_` },
    });
  });

  afterAll(async () => {
    await server?.close();
    await clientLog.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** Pulls until the rows equal `expected` (the table follows its topic in the background). */
  async function pullUntil(sql: string, expected: unknown[]): Promise<unknown[]> {
    let rows: unknown[] = [];
    for (let attempt = 0; attempt < 200; attempt++) {
      const response = await post('/query', { ksql: sql });
      expect(response.status).toBe(200);
      rows = (await response.json()) as unknown[];
      if (JSON.stringify(rows.slice(1)) === JSON.stringify(expected)) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return rows;
  }

  it('materializes a CTAS from Kafka and answers a key lookup with the aggregated row', async () => {
    const name = uniqueName('clicks').replaceAll('-', '_');
    const created = await post('/ksql', {
      ksql: `CREATE STREAM ${name} (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='${name}', partitions=1, value_format='JSON');
             CREATE TABLE ${name}_per_user AS SELECT user, COUNT(*) AS n, SUM(ms) AS total FROM ${name} GROUP BY user;`,
      streamsProperties: { 'auto.offset.reset': 'earliest' },
    });
    expect(created.status).toBe(200);

    await clientLog.append(name, [
      { key: Buffer.from('ann'), value: Buffer.from('{"PAGE":"/home","MS":250}') },
      { key: Buffer.from('bob'), value: Buffer.from('{"PAGE":"/cart","MS":40}') },
      { key: Buffer.from('ann'), value: Buffer.from('{"PAGE":"/pay","MS":900}') },
    ]);

    const rows = await pullUntil(`SELECT * FROM ${name}_per_user WHERE user = 'ann';`, [
      { row: { columns: ['ann', 2, 1150] } },
    ]);
    expect(rows).toEqual([
      { header: { queryId: expect.any(String), schema: '`USER` STRING KEY, `N` BIGINT, `TOTAL` INTEGER' } },
      { row: { columns: ['ann', 2, 1150] } },
    ]);

    const scan = await pullUntil(`SELECT user, n FROM ${name}_per_user WHERE n >= 1;`, [
      { row: { columns: ['ann', 2] } },
      { row: { columns: ['bob', 1] } },
    ]);
    expect(scan.slice(1)).toEqual([{ row: { columns: ['ann', 2] } }, { row: { columns: ['bob', 1] } }]);

    const stream = await post('/query', { ksql: `SELECT page FROM ${name};` });
    const streamRows = (await stream.json()) as unknown[];
    expect(streamRows.slice(1)).toEqual([
      { row: { columns: ['/home'] } },
      { row: { columns: ['/cart'] } },
      { row: { columns: ['/pay'] } },
      { finalMessage: 'Query Completed' },
    ]);
  });
});
