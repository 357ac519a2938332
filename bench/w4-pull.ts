/**
 * W4: pull-query QPS and latency on a materialized table, over HTTP against the real server.
 *
 * A CTAS aggregates the run's Nexmark bids per auction (`q5_latest`: COUNT and MAX(price) by
 * auction) in a Sluice server run as a child process (w4-server.ts); once the table holds
 * every auction, the keep-alive load generator (http-load.ts, 10 connections) posts
 * `SELECT * FROM q5_latest WHERE auction_key = <k>` to /query for seeded random auctions.
 * The reference is P6, fastify's `/hello` measured in the same run with the same generator.
 * A second figure mixes in 1 % key-range queries (scans of the index).
 */
import { startChild } from './child.js';
import { nexmarkTopics } from './data.js';
import { type HttpLoadResult, httpLoad } from './http-load.js';
import { FIRST_AUCTION_ID, seededRandom } from './nexmark.js';
import { httpFloor } from './p6-http.js';
import type { BenchFigure, Workload } from './workload.js';

const CONNECTIONS = 10;

function bodies(table: string, auctions: number, count: number, rangeEvery: number): string[] {
  const random = seededRandom(4);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = FIRST_AUCTION_ID + Math.floor(random() * auctions);
    const ksql =
      rangeEvery > 0 && i % rangeEvery === rangeEvery - 1
        ? `SELECT * FROM ${table} WHERE auction_key >= ${key} AND auction_key < ${key + 10};`
        : `SELECT * FROM ${table} WHERE auction_key = ${key};`;
    out.push(JSON.stringify({ ksql }));
  }
  return out;
}

function details(r: HttpLoadResult, extra: Record<string, number | string> = {}) {
  return {
    requests: r.requests,
    errors: r.errors,
    wallSeconds: r.wallSeconds,
    p50Ms: r.latencyMs.p50,
    p99Ms: r.latencyMs.p99,
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
    const floor = await httpFloor(ctx);
    ctx.log(`W4: starting the server and materializing ${auctions} auctions`);
    const server = await startChild<{ port: number; table: string }>('./w4-server.js', {
      bootstrapServers: ctx.bootstrapServers,
      runId: ctx.runId,
      bidsTopic: topics.bids,
      bids: topics.sizes.bids,
    });
    try {
      const url = `http://127.0.0.1:${server.ready.port}/query`;
      const lookups = bodies(server.ready.table, auctions, 10_000, 0);
      const mixed = bodies(server.ready.table, auctions, 10_000, 100);
      const requests = ctx.quick ? 30_000 : 200_000;
      const durationMs = ctx.quick ? 5_000 : 30_000;
      const load = (list: readonly string[], n: number, ms: number) =>
        httpLoad({
          url,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: (i) => list[i % list.length]!,
          connections: CONNECTIONS,
          requests: n,
          durationMs: ms,
        });
      await load(lookups, 5_000, 2_000); // warm-up: JIT and sockets
      const cpu0 = (await server.stats()).cpuSeconds;
      const lookup = await load(lookups, requests, durationMs);
      const cpu1 = (await server.stats()).cpuSeconds;
      const mix = await load(mixed, requests, durationMs);
      for (const r of [lookup, mix]) {
        if (r.errors > 0) throw new Error(`W4: ${r.errors} of ${r.requests} requests failed`);
      }
      return [
        {
          workload: 'W4',
          name: `key lookup over /query, ${auctions} keys (requests/s)`,
          size: lookup.requests,
          value: lookup.requestsPerSecond,
          unit: 'requests/s',
          reference: 'fastify /hello (P6)',
          referenceValue: floor.hello.requestsPerSecond,
          details: details(lookup, {
            gate: 0.4,
            stretch: 0.7,
            p99GateMs: 10,
            helloP99Ms: floor.hello.latencyMs.p99,
            serverCpuSeconds: cpu1 - cpu0,
          }),
        },
        {
          workload: 'W4',
          name: 'key lookups with 1 % key-range scans (requests/s)',
          size: mix.requests,
          value: mix.requestsPerSecond,
          unit: 'requests/s',
          reference: 'fastify /hello (P6)',
          referenceValue: floor.hello.requestsPerSecond,
          details: details(mix),
        },
      ];
    } finally {
      await server.stop();
    }
  },
};
