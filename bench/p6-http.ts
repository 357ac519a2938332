/**
 * P6, the HTTP floor: fastify's `/hello` and a `Map`-lookup route in a child process, driven by
 * the keep-alive load generator with 10 connections. The queries-per-second of any Sluice
 * route (pull queries, W4) are compared with these, measured in the same run.
 */
import { startChild } from './child.js';
import { httpLoad } from './http-load.js';
import type { BenchContext, BenchFigure, Workload } from './workload.js';

export interface HttpFloor {
  readonly hello: Awaited<ReturnType<typeof httpLoad>>;
  readonly map: Awaited<ReturnType<typeof httpLoad>>;
  readonly serverCpuSeconds: number;
}

const floors = new Map<string, Promise<HttpFloor>>();

/** Measured once per run, for P6 itself and for any workload compared with it. */
export function httpFloor(ctx: BenchContext): Promise<HttpFloor> {
  let floor = floors.get(ctx.runId);
  if (floor === undefined) {
    floor = measure(ctx);
    floors.set(ctx.runId, floor);
  }
  return floor;
}

async function measure(ctx: BenchContext): Promise<HttpFloor> {
  const keys = 10_000;
  const server = await startChild<{ port: number }>('./p6-server.js', { keys });
  try {
    const base = `http://127.0.0.1:${server.ready.port}`;
    const requests = ctx.quick ? 30_000 : 200_000;
    const durationMs = ctx.quick ? 5_000 : 30_000;
    // Warm-up: the server's JIT and the sockets.
    await httpLoad({ url: `${base}/hello`, connections: 10, requests: 5_000, durationMs: 2_000 });
    const cpu0 = (await server.stats()).cpuSeconds;
    const first = await httpLoad({ url: `${base}/hello`, connections: 10, requests, durationMs });
    const map = await httpLoad({
      url: (i) => `${base}/map/${1000 + (i % keys)}`,
      connections: 10,
      requests,
      durationMs,
    });
    // /hello once more after the map route: the better of the two is the floor (less disturbed).
    const second = await httpLoad({ url: `${base}/hello`, connections: 10, requests, durationMs });
    const hello = second.requestsPerSecond > first.requestsPerSecond ? second : first;
    const cpu1 = (await server.stats()).cpuSeconds;
    return { hello, map, serverCpuSeconds: cpu1 - cpu0 };
  } finally {
    await server.stop();
  }
}

export const p6: Workload = {
  id: 'P6',
  title: 'HTTP floor: fastify /hello and a Map-lookup route',
  needsKafka: false,
  async run(ctx): Promise<BenchFigure[]> {
    const floor = await httpFloor(ctx);
    const latency = (r: HttpFloor['hello']) => ({
      p50Ms: r.latencyMs.p50,
      p99Ms: r.latencyMs.p99,
      errors: r.errors,
      wallSeconds: r.wallSeconds,
      connections: 10,
    });
    return [
      {
        workload: 'P6',
        name: 'fastify /hello, 10 keep-alive connections (requests/s)',
        size: floor.hello.requests,
        value: floor.hello.requestsPerSecond,
        unit: 'requests/s',
        details: latency(floor.hello),
      },
      {
        workload: 'P6',
        name: 'fastify Map-lookup route (requests/s)',
        size: floor.map.requests,
        value: floor.map.requestsPerSecond,
        unit: 'requests/s',
        reference: 'fastify /hello (P6)',
        referenceValue: floor.hello.requestsPerSecond,
        details: latency(floor.map),
      },
    ];
  },
};
