/**
 * A small keep-alive HTTP load generator (no dependency): `connections` concurrent clients,
 * each sending its next request when the previous answer has been read, over one kept-alive
 * socket each, for a fixed number of requests. Optionally paced to a target rate, to measure
 * latency below saturation. It runs in a worker thread, so its own CPU does not share the
 * event loop of the server under test.
 */
import { Worker } from 'node:worker_threads';

export interface LoadOptions {
  readonly url: string;
  /** Request bodies, used round-robin (POST with JSON content); absent: GET. */
  readonly bodies?: readonly string[];
  readonly connections: number;
  readonly requests: number;
  /** Requests per second across all connections; absent: as fast as answers come. */
  readonly rate?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly wallSeconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

// Plain JavaScript, evaluated in the worker: it runs the same under tsx and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, bodies, connections, requests, rate } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = new Float64Array(requests);
let next = 0, done = 0, errors = 0;
const interval = rate ? (1000 * connections) / rate : 0;
function send(body) {
  return new Promise((resolve) => {
    const req = http.request({
      agent, hostname: target.hostname, port: target.port, path: target.pathname,
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    if (body !== undefined) req.write(body);
    req.end();
  });
}
async function client() {
  let due = performance.now();
  while (next < requests) {
    const i = next++;
    if (interval > 0) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      due += interval;
    }
    const started = performance.now();
    const ok = await send(bodies ? bodies[i % bodies.length] : undefined);
    latencies[i] = performance.now() - started;
    if (!ok) errors++;
    done++;
  }
}
(async () => {
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const wallSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  parentPort.postMessage({ requests: done, errors, wallSeconds, requestsPerSecond: done / wallSeconds, p50Ms: at(0.5), p99Ms: at(0.99) });
})();
`;

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: options });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
