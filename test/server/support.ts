import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { MemoryLog } from '../../engine/log/memory-log.js';
import type { PushQuery } from '../../engine/runtime/push-query.js';
import { buildServer, type ServerOptions } from '../../server/app.js';
import type { ServerEngine } from '../../server/server-engine.js';

export const CLICKS =
  "CREATE STREAM clicks (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='clicks', partitions=1, value_format='JSON');";

export const EARLIEST = { 'auto.offset.reset': 'earliest' } as const;

/**
 * A server over a MemoryLog engine (deterministic: persistent queries run only when the test
 * drives them). `started` holds the push queries the server started, to observe them closing.
 */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly engine: Engine;
  readonly started: PushQuery[];
  readonly closed: Set<string>;
  close(): Promise<void>;
}

export function testServer(options: Omit<ServerOptions, 'engine'> = {}): TestServer {
  const engine = new Engine({ log: new MemoryLog(), registry: builtinFunctions, deterministic: true });
  const started: PushQuery[] = [];
  const closed = new Set<string>();
  const observed: ServerEngine = {
    execute: (text, properties) => engine.execute(text, properties),
    query: async (text, properties) => {
      const query = await engine.query(text, properties);
      const close = query.close;
      const watched: PushQuery = {
        ...query,
        close: async () => {
          closed.add(query.id);
          await close();
        },
        [Symbol.asyncIterator]: () => query[Symbol.asyncIterator](),
      };
      started.push(watched);
      return watched;
    },
    get log() {
      return engine.log;
    },
  };
  const app = buildServer({ engine: observed, ...options });
  return {
    app,
    engine,
    started,
    closed,
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}

export function postKsql(app: FastifyInstance, ksql: string, extra: Record<string, unknown> = {}) {
  return app.inject({ method: 'POST', url: '/ksql', payload: { ksql, ...extra } });
}

export function json(response: LightMyRequestResponse): unknown {
  return JSON.parse(response.body);
}

/**
 * Splits a /query body the way the ksql CLI does (KsqlTargetUtil.toRows): by line, dropping a
 * leading `[`, a trailing `]` and a trailing `,`, skipping empty lines, one JSON object each.
 */
export function streamedRowsOf(body: string): unknown[] {
  const rows: unknown[] = [];
  for (let line of body.split('\n')) {
    line = line.trim();
    if (line.startsWith('[')) line = line.slice(1);
    if (line.endsWith(']')) line = line.slice(0, -1);
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (line === '') continue;
    rows.push(JSON.parse(line));
  }
  return rows;
}
