/**
 * A small keep-alive HTTP load generator for the benchmarks (autocannon-style, no dependency):
 * `connections` sockets each send one request after another, until `requests` were sent or
 * `durationMs` passed, whichever comes first. Targets are loopback servers the benchmark
 * started itself. Latencies are per request, send to last byte.
 */
import { Agent, request } from 'node:http';

export interface HttpLoadOptions {
  /** A fixed URL, or one per request (e.g. a different key each time). */
  readonly url: string | ((i: number) => string);
  readonly method?: 'GET' | 'POST';
  /** A fixed body, or one per request (e.g. a different key each time). */
  readonly body?: string | ((i: number) => string);
  readonly headers?: Readonly<Record<string, string>>;
  readonly connections: number;
  /** Upper bound on requests sent. */
  readonly requests: number;
  /** Upper bound on the run's duration. */
  readonly durationMs: number;
}

export interface HttpLoadResult {
  readonly requests: number;
  /** Requests that failed or answered with a status of 400 or more. */
  readonly errors: number;
  readonly wallSeconds: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: LatencySummary;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentiles of `values` (sorted in place). */
export function summarize(values: number[]): LatencySummary {
  if (values.length === 0)
    return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  values.sort((a, b) => a - b);
  const at = (p: number) =>
    values[Math.min(values.length - 1, Math.max(0, Math.ceil(p * values.length) - 1))]!;
  let sum = 0;
  for (const v of values) sum += v;
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: values[values.length - 1]!,
    mean: sum / values.length,
  };
}

export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const urlOf = (i: number) => {
    const url = new URL(typeof options.url === 'function' ? options.url(i) : options.url);
    if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
      throw new Error(`http-load only targets loopback servers, not ${url.hostname}`);
    return url;
  };
  urlOf(0);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + options.durationMs;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const body = typeof options.body === 'function' ? options.body(i) : options.body;
      const t0 = process.hrtime.bigint();
      const req = request(
        urlOf(i),
        {
          method: options.method ?? 'GET',
          agent,
          headers: {
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            ...options.headers,
          },
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if ((res.statusCode ?? 500) >= 400) errors++;
            resolve();
          });
          res.on('error', () => {
            errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
  const worker = async () => {
    while (sent < options.requests && Date.now() < deadline) await one(sent++);
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return {
    requests: sent,
    errors,
    wallSeconds,
    requestsPerSecond: sent / wallSeconds,
    latencyMs: summarize(latencies),
  };
}
