/**
 * The REST server: ksqlDB's wire API on fastify, over the Engine. `buildServer` wires the
 * routes without listening, so tests drive it with `inject()`; `startServer` (main.ts) gives
 * it a Kafka-backed Engine and a port.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type BasicAuthOptions, basicAuthHook } from './basic-auth.js';
import { CommandStatuses } from './command-statuses.js';
import { installJsonBodyParser } from './json-body.js';
import { MediaType } from './media-types.js';
import { serverMessages } from './messages.js';
import { genericError, RestError } from './rest-errors.js';
import { jsonText } from './rest-json.js';
import { registerCloseQueryRoute } from './routes/close-query.js';
import { registerClusterStatusRoute } from './routes/cluster-status.js';
import { registerInsertsStreamRoute } from './routes/inserts-stream.js';
import { registerIsValidPropertyRoute } from './routes/is-valid-property.js';
import { registerKsqlRoute } from './routes/ksql.js';
import { registerQueryRoute } from './routes/query.js';
import { registerQueryStreamRoute } from './routes/query-stream.js';
import { registerServerInfoRoutes } from './routes/server-info.js';
import { registerStatusRoutes } from './routes/status.js';
import { RunningQueries } from './running-queries.js';
import type { ServerContext } from './server-context.js';
import type { ServerEngine } from './server-engine.js';
import { ALWAYS_DENIED_OVERRIDES } from './statements.js';

/**
 * The version /info reports. The ksql CLI parses it and refuses servers older than 0.10, so
 * it names the ksqlDB release whose API Sluice speaks, not Sluice's own version.
 */
export const KSQLDB_API_VERSION = '0.29.0';

export interface ServerOptions {
  readonly engine: ServerEngine;
  /** Reported by /info. The Log does not expose the cluster id yet. */
  readonly kafkaClusterId?: string;
  /** `ksql.service.id`, reported by /info. Default `default_`, as ksqlDB. */
  readonly serviceId?: string;
  /** Require HTTP Basic credentials on every route but the probes. */
  readonly basicAuth?: BasicAuthOptions;
  /** Properties requests may not override, besides `ksql.service.id`. */
  readonly deniedPropertyOverrides?: readonly string[];
  /** Silence after which /query writes a keep-alive newline. Default 1000 ms. */
  readonly keepAliveIntervalMs?: number;
  /** Push queries running at once, at most (`ksql.max.push.queries`). Default 100, as ksqlDB. */
  readonly maxPushQueries?: number;
  /**
   * How long a request carrying `commandSequenceNumber` waits for the command to be applied
   * before a 503 (`ksql.server.command.response.timeout.ms`). Default 5000 ms, as ksqlDB.
   */
  readonly commandWaitTimeoutMs?: number;
  /** How long /healthcheck waits for Kafka. Default 3000 ms. */
  readonly healthCheckTimeoutMs?: number;
  readonly logger?: FastifyServerOptions['logger'];
  /** Serve HTTPS with this PEM key and certificate (chain) instead of plain HTTP. */
  readonly tls?: TlsOptions;
}

export interface TlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

function restErrorOf(error: FastifyError | Error): RestError {
  if (error instanceof RestError) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation !== undefined)
    return RestError.badRequest(serverMessages.invalidJson(error.message));
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new RestError(status, genericError(status * 100, error.message));
  return RestError.internal();
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    ...(options.tls === undefined ? {} : { https: { key: options.tls.key, cert: options.tls.cert } }),
    logger: options.logger ?? false,
    // Bodies are checked, never rewritten: no type coercion, no dropped fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  const context: ServerContext = {
    engine: options.engine,
    queries: new RunningQueries(),
    statuses: new CommandStatuses(options.engine.commandStatuses?.bind(options.engine)),
    info: {
      version: KSQLDB_API_VERSION,
      kafkaClusterId: options.kafkaClusterId ?? 'unknown',
      ksqlServiceId: options.serviceId ?? 'default_',
    },
    deniedOverrides: new Set([...ALWAYS_DENIED_OVERRIDES, ...(options.deniedPropertyOverrides ?? [])]),
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 1000,
    maxPushQueries: options.maxPushQueries ?? 100,
    healthCheckTimeoutMs: options.healthCheckTimeoutMs ?? 3000,
    commandWaitTimeoutMs: options.commandWaitTimeoutMs ?? 5000,
  };

  installJsonBodyParser(app);
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const rest = restErrorOf(error);
    // A RestError is already an answer; where it came from an unexpected failure, that was logged there.
    if (!(error instanceof RestError) && rest.status >= 500)
      request.log.error({ err: error }, 'request failed');
    return reply.code(rest.status).type(MediaType.JSON).send(jsonText(rest.entity));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain').send('Not Found'));
  if (options.basicAuth !== undefined) app.addHook('onRequest', basicAuthHook(options.basicAuth));
  // Streaming responses end before the listener closes, so close() does not wait on them.
  app.addHook('preClose', async () => {
    await context.queries.closeAll();
  });

  registerServerInfoRoutes(app, context);
  registerKsqlRoute(app, context);
  registerQueryRoute(app, context);
  registerQueryStreamRoute(app, context);
  registerInsertsStreamRoute(app, context);
  registerCloseQueryRoute(app, context);
  registerStatusRoutes(app, context);
  registerClusterStatusRoute(app);
  registerIsValidPropertyRoute(app, context);
  return app;
}
