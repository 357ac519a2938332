/**
 * W5: push-query fan-out. N clients (1, 10, 100; 1,000 in the full run) each hold a push query
 * (`SELECT ... WHERE auction % 100 = i EMIT CHANGES`, ~1 % of the input) open on Sluice's REST
 * server (/query-stream, newline-delimited), which runs in its own process. Nexmark bids are
 * then produced at a fixed rate, each stamped with the time it is sent (record timestamp and
 * `dateTime`), and every client measures delivery latency: its receipt time minus `dateTime`.
 *
 * Reported per N: p50 and p99 delivery latency, rows delivered against the rows expected
 * (computed from the data; a shortfall is shown in the figure's name), and the server's memory
 * per subscription (RSS after the subscriptions opened minus before, divided by N).
 */
import { Agent, request } from 'node:http';
import { type BenchChild, startChild } from './child.js';
import { benchLog } from './data.js';
import { summarize } from './http-load.js';
import { generateBids } from './nexmark.js';
import { type BenchContext, type BenchFigure, type Workload, WorkloadNotAvailable } from './workload.js';

const MODULUS = 100;

async function postJson(url: string, body: unknown): Promise<unknown> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let out = '';
        res.on('data', (d: Buffer) => {
          out += d.toString();
        });
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`${url}: ${res.statusCode} ${out}`));
          else resolve(JSON.parse(out));
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

interface Subscriber {
  /** Latencies of measured rows (ms). */
  readonly latencies: number[];
  /** Whether a warm-up probe arrived, i.e. the query is reading. */
  probed: boolean;
  received: number;
  close(): void;
}

function subscribe(url: string, agent: Agent, sql: string, onError: (e: Error) => void): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ sql, properties: { 'auto.offset.reset': 'latest' } });
    const sub: Subscriber = { latencies: [], probed: false, received: 0, close: () => req.destroy() };
    let buffer = '';
    let header = false;
    const req = request(
      `${url}/query-stream`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/vnd.ksqlapi.delimited.v1',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        if ((res.statusCode ?? 500) >= 400) {
          let out = '';
          res.on('data', (d: Buffer) => {
            out += d.toString();
          });
          res.on('end', () => reject(new Error(`push query refused: ${res.statusCode} ${out}`)));
          return;
        }
        res.on('data', (chunk: Buffer) => {
          const now = Date.now();
          buffer += chunk.toString('utf8');
          let nl = buffer.indexOf('\n');
          while (nl >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            nl = buffer.indexOf('\n');
            if (line === '') continue;
            if (!header) {
              header = true;
              resolve(sub);
              continue;
            }
            const row = JSON.parse(line) as unknown;
            if (!Array.isArray(row)) continue;
            const sent = Number(row[1]);
            if (sent === 0) sub.probed = true;
            else {
              sub.received++;
              sub.latencies.push(now - sent);
            }
          }
        });
        res.on('error', () => {});
      },
    );
    req.on('error', (e) => {
      if (!header) reject(e);
      else if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') onError(e);
    });
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, timeoutMs: number, done: () => boolean, tick?: () => Promise<void>) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (tick !== undefined) await tick();
    await sleep(100);
  }
}

interface FanOutResult {
  readonly n: number;
  readonly produced: number;
  readonly expected: number;
  readonly delivered: number;
  readonly latency: ReturnType<typeof summarize>;
  readonly bytesPerSubscription: number;
  readonly serverCpuSeconds: number;
}

async function fanOut(
  ctx: BenchContext,
  server: BenchChild<{ url: string }>,
  stream: string,
  topic: string,
  n: number,
): Promise<FanOutResult> {
  const url = server.ready.url;
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const log = benchLog(ctx, 'sluice-bench-w5');
  const subscribers: Subscriber[] = [];
  let failure: Error | undefined;
  try {
    const before = await server.stats();
    for (let i = 0; i < n; i++) {
      subscribers.push(
        await subscribe(
          url,
          agent,
          `SELECT auction, dateTime FROM ${stream} WHERE auction % ${MODULUS} = ${i % MODULUS} EMIT CHANGES;`,
          (e) => {
            failure ??= e;
          },
        ),
      );
    }
    await sleep(500);
    const opened = await server.stats();
    // Probes (dateTime 0) for every residue until each query has read one: all are positioned.
    const probes = Array.from({ length: MODULUS }, (_, r) => ({
      key: null,
      value: Buffer.from(JSON.stringify({ auction: r, dateTime: 0 })),
      timestamp: Date.now(),
    }));
    await until(
      `${n} push queries to start reading`,
      60_000 + n * 200,
      () => subscribers.every((s) => s.probed),
      async () => void (await log.append(topic, probes)),
    );

    const rate = ctx.quick ? 2_000 : 10_000;
    const seconds = ctx.quick ? 5 : 20;
    const bids = generateBids(rate * seconds, 10_000, 10_000, 7);
    const auctions = bids.map((b) => (JSON.parse(b.value!.toString()) as { auction: number }).auction);
    const cpu0 = (await server.stats()).cpuSeconds;
    const tickMs = 50;
    const perTick = (rate * tickMs) / 1000;
    const t0 = Date.now();
    for (let sent = 0, tick = 0; sent < bids.length; tick++) {
      const wait = t0 + tick * tickMs - Date.now();
      if (wait > 0) await sleep(wait);
      const now = Date.now();
      const batch = bids.slice(sent, sent + perTick).map((b, j) => {
        const v = JSON.parse(b.value!.toString()) as Record<string, unknown>;
        v.dateTime = now;
        return {
          key: b.key,
          value: Buffer.from(JSON.stringify({ ...v, auction: auctions[sent + j] })),
          timestamp: now,
        };
      });
      await log.append(topic, batch);
      sent += batch.length;
    }
    const perResidue = new Array<number>(MODULUS).fill(0);
    for (const a of auctions) perResidue[a % MODULUS]!++;
    const expected = subscribers.reduce((sum, _, i) => sum + perResidue[i % MODULUS]!, 0);
    const delivered = () => subscribers.reduce((sum, s) => sum + s.received, 0);
    await until(
      `${expected} rows to reach the subscribers`,
      30_000,
      () => delivered() >= expected || failure !== undefined,
    ).catch(() => {});
    if (failure !== undefined) throw failure;
    const cpu1 = (await server.stats()).cpuSeconds;
    const latencies: number[] = [];
    for (const s of subscribers) latencies.push(...s.latencies);
    return {
      n,
      produced: bids.length,
      expected,
      delivered: delivered(),
      latency: summarize(latencies),
      bytesPerSubscription: (opened.rssBytes - before.rssBytes) / n,
      serverCpuSeconds: cpu1 - cpu0,
    };
  } finally {
    for (const s of subscribers) s.close();
    agent.destroy();
    await log.close();
    await sleep(1_000);
  }
}

export const w5: Workload = {
  id: 'W5',
  title: 'push-query fan-out over REST: delivery latency at 1, 10, 100 (and 1,000) subscribers',
  needsKafka: true,
  async run(ctx): Promise<BenchFigure[]> {
    const topic = `bench_w5_${ctx.runId}`;
    const stream = `w5bids_${ctx.runId}`;
    const serviceId = `bench_w5_${ctx.runId}_`;
    const server = await startChild<{ url: string }>('./w5-server.js', {
      bootstrapServers: ctx.bootstrapServers,
      serviceId,
    }).catch((err: Error) => {
      throw new WorkloadNotAvailable(`the REST server did not start: ${err.message.split('\n')[0]}`);
    });
    const figures: BenchFigure[] = [];
    try {
      await postJson(`${server.ready.url}/ksql`, {
        ksql: `CREATE STREAM ${stream} (auction_key BIGINT KEY, auction BIGINT, bidder BIGINT, price DOUBLE, channel STRING, url STRING, dateTime BIGINT, extra STRING) WITH (kafka_topic='${topic}', partitions=1, value_format='JSON');`,
        streamsProperties: {},
      });
      const counts = ctx.quick ? [1, 10, 100] : [1, 10, 100, 1_000];
      for (const n of counts) {
        ctx.log(`W5: ${n} subscriber(s)`);
        const r = await fanOut(ctx, server, stream, topic, n);
        figures.push({
          workload: 'W5',
          // Rows that never arrived are part of the result, not a reason to drop it.
          name: `push fan-out to ${n} subscriber(s): p99 delivery latency (ms)${r.delivered < r.expected ? `; only ${r.delivered} of ${r.expected} rows delivered` : ''}`,
          size: r.produced,
          value: r.latency.p99,
          unit: 'ms',
          details: {
            p50Ms: r.latency.p50,
            p90Ms: r.latency.p90,
            maxMs: r.latency.max,
            delivered: r.delivered,
            expected: r.expected,
            bytesPerSubscription: Math.round(r.bytesPerSubscription),
            serverCpuSeconds: r.serverCpuSeconds,
            gateP99Ms: 200,
            stretchP99Ms: 100,
          },
        });
      }
      if (ctx.quick) ctx.log('W5: 1,000 subscribers run in the full mode only');
    } finally {
      await server.stop();
      const log = benchLog(ctx);
      try {
        await log.deleteTopic(topic);
      } finally {
        await log.close();
      }
    }
    return figures;
  },
};
