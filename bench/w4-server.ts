/**
 * W4's server, run as a child process (so the load generator does not share its event loop):
 * a Sluice server on the broker with the run's bids stream and the `q5_latest` CTAS, ready
 * once the materialized table has counted every bid (so no ingestion runs while measuring).
 */
import { startServer } from '../server/main.js';
import { serveChild } from './child.js';

interface W4ServerConfig {
  readonly bootstrapServers: string;
  readonly runId: string;
  readonly bidsTopic: string;
  /** Bids in the topic: the table is complete when its counts add up to this. */
  readonly bids: number;
}

await serveChild<W4ServerConfig, { port: number; table: string }>(async (config) => {
  const server = await startServer({
    bootstrapServers: config.bootstrapServers,
    port: 0,
    host: '127.0.0.1',
    config: { 'ksql.service.id': `bench_w4_${config.runId}_` },
  });
  const source = `w4_bids_${config.runId}`;
  const table = `q5_latest_${config.runId}`;
  await server.engine.execute(
    `CREATE STREAM ${source} (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price DOUBLE, channel STRING, url STRING, dateTime BIGINT, extra STRING) WITH (kafka_topic='${config.bidsTopic}', value_format='JSON');`,
  );
  await server.engine.execute(
    `CREATE TABLE ${table} WITH (kafka_topic='bench_w4_${config.runId}', partitions=1) AS SELECT auction_key, COUNT(*) AS bids, MAX(price) AS max_price FROM ${source} GROUP BY auction_key;`,
    { 'auto.offset.reset': 'earliest' },
  );
  // The table follows its topic in the background: ready once its counts add up to every bid.
  for (;;) {
    let counted = 0n;
    for await (const row of await server.engine.query(`SELECT bids FROM ${table};`))
      counted += row.values[0] as bigint;
    if (counted >= BigInt(config.bids)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { ready: { port: server.port, table }, stop: () => server.close() };
});
