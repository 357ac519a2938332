/**
 * W4: pull-query QPS and latency on a materialized table, over HTTP against the real server.
 *
 * A CTAS aggregates the run's Nexmark bids per auction (`q5_latest`: COUNT and MAX(price) by
 * auction); once the table holds every auction, a keep-alive load generator (http-load.ts, in
 * a worker thread) sends `SELECT * FROM q5_latest WHERE auction_key = <k>` to /query for
 * random auctions. The reference is a fastify hello-world route (POST /hello, a small JSON
 * body, the same load generator and connection count) measured in the same run (P6).
 * Figures: key-lookup QPS at saturation; p50/p99 at half the lookup rate; QPS of a mix with
 * 1 % key-range queries (scans of the index).
 */
import Fastify from 'fastify';
import { type RunningServer, startServer } from '../server/main.js';
import { nexmarkTopics } from './data.js';
import { type LoadResult, runLoad } from './http-load.js';
import { FIRST_AUCTION_ID, seededRandom } from './nexmark.js';
import type { BenchContext, BenchFigure, Workload } from './workload.js';

const CONNECTIONS = 10;

async function helloServer(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.post('/hello', async () => ({ hello: 'world' }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${address}/hello`, close: () => app.close() };
}

function lookupBodies(table: string, auctions: number, count: number, rangeEvery: number): string[] {
  const random = seededRandom(4);
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = FIRST_AUCTION_ID + Math.floor(random() * auctions);
    const ksql =
      rangeEvery > 0 && i % rangeEvery === rangeEvery - 1
        ? `SELECT * FROM ${table} WHERE auction_key >= ${key} AND auction_key < ${key + 10};`
        : `SELECT * FROM ${table} WHERE auction_key = ${key};`;
    bodies.push(JSON.stringify({ ksql }));
  }
  return bodies;
}

/** Waits until the table holds `keys` rows (it follows its topic in the background). */
async function waitForRows(
  server: RunningServer,
  table: string,
  keys: number,
  ctx: BenchContext,
): Promise<void> {
  for (;;) {
    const query = await server.engine.query(`SELECT auction_key FROM ${table};`);
    let rows = 0;
    for await (const _ of query) rows++;
    if (rows >= keys) return;
    ctx.log(`W4: ${table} holds ${rows} of ${keys} auctions`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function details(
  r: LoadResult,
  extra: Record<string, number | string> = {},
): Record<string, number | string> {
  return {
    requests: r.requests,
    errors: r.errors,
    wallSeconds: r.wallSeconds,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    connections: CONNECTIONS,
    ...extra,
  };
}

export const w4: Workload = {
  id: 'W4',
  title: 'pull-query QPS and p99 on a materialized table, over HTTP',
  needsKafka: true,
  async run(ctx): Promise<BenchFigure[]> {
    const topics = await nexmarkTopics(ctx);
    const auctions = new Set(topics.data.bids.map((b) => b.key!.readBigInt64BE())).size;
    const requests = ctx.quick ? 20_000 : 100_000;
    const server = await startServer({
      bootstrapServers: ctx.bootstrapServers,
      port: 0,
      host: '127.0.0.1',
      config: { 'ksql.service.id': `bench_w4_${ctx.runId}_` },
    });
    const hello = await helloServer();
    try {
      const source = `w4_bids_${ctx.runId}`;
      const table = `q5_latest_${ctx.runId}`;
      await server.engine.execute(
        `CREATE STREAM ${source} (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price DOUBLE, channel STRING, url STRING, dateTime BIGINT, extra STRING) WITH (kafka_topic='${topics.bids}', value_format='JSON');`,
      );
      await server.engine.execute(
        `CREATE TABLE ${table} WITH (kafka_topic='bench_w4_${ctx.runId}', partitions=1) AS SELECT auction_key, COUNT(*) AS bids, MAX(price) AS max_price FROM ${source} GROUP BY auction_key;`,
        { 'auto.offset.reset': 'earliest' },
      );
      await waitForRows(server, table, auctions, ctx);
      const url = `${server.url}/query`;
      const lookups = lookupBodies(table, auctions, 10_000, 0);
      const mixed = lookupBodies(table, auctions, 10_000, 100);
      const helloBody = [JSON.stringify({ ksql: 'SELECT 1;' })];

      // Warm-up of both servers (JIT), then the measurements.
      await runLoad({ url, bodies: lookups, connections: CONNECTIONS, requests: requests / 10 });
      await runLoad({ url: hello.url, bodies: helloBody, connections: CONNECTIONS, requests: requests / 10 });
      const helloMax = await runLoad({
        url: hello.url,
        bodies: helloBody,
        connections: CONNECTIONS,
        requests,
      });
      ctx.log(`W4: hello ${helloMax.requestsPerSecond.toFixed(0)} req/s`);
      const lookupMax = await runLoad({ url, bodies: lookups, connections: CONNECTIONS, requests });
      ctx.log(`W4: key lookups ${lookupMax.requestsPerSecond.toFixed(0)} req/s`);
      const rate = lookupMax.requestsPerSecond / 2;
      const paced = await runLoad({
        url,
        bodies: lookups,
        connections: CONNECTIONS,
        requests: requests / 2,
        rate,
      });
      const helloPaced = await runLoad({
        url: hello.url,
        bodies: helloBody,
        connections: CONNECTIONS,
        requests: requests / 2,
        rate,
      });
      const mixedMax = await runLoad({ url, bodies: mixed, connections: CONNECTIONS, requests });
      for (const r of [helloMax, lookupMax, paced, helloPaced, mixedMax]) {
        if (r.errors > 0) throw new Error(`W4: ${r.errors} of ${r.requests} requests failed`);
      }
      return [
        {
          workload: 'W4',
          name: `key lookup over /query, ${auctions} keys (req/s)`,
          size: requests,
          value: lookupMax.requestsPerSecond,
          unit: 'req/s',
          reference: 'fastify hello route (P6)',
          referenceValue: helloMax.requestsPerSecond,
          details: details(lookupMax, { gate: 0.4, stretch: 0.7, helloP99Ms: helloMax.p99Ms }),
        },
        {
          workload: 'W4',
          name: `key lookup p99 at half the lookup rate (${rate.toFixed(0)} req/s) (ms)`,
          size: requests / 2,
          value: paced.p99Ms,
          unit: 'ms',
          reference: 'fastify hello route at the same rate (P6)',
          referenceValue: helloPaced.p99Ms,
          details: details(paced, { gateMs: 10, stretchMs: 5, helloP50Ms: helloPaced.p50Ms }),
        },
        {
          workload: 'W4',
          name: 'key lookups with 1 % key ranges (req/s)',
          size: requests,
          value: mixedMax.requestsPerSecond,
          unit: 'req/s',
          reference: 'fastify hello route (P6)',
          referenceValue: helloMax.requestsPerSecond,
          details: details(mixedMax),
        },
      ];
    } finally {
      await hello.close();
      await server.close();
    }
  },
};
