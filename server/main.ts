/**
 * The REST server as a process: a KafkaLog, an Engine over it and the fastify app listening
 * on a port. `startServer` is what tests and embedders call; `serveUntilSignalled` is
 * `sluice server`.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { Engine } from '../engine/engine.js';
import { builtinFunctions } from '../engine/expr/functions/registry.js';
import { KafkaLog } from '../engine/log/kafka-log.js';
import { LocalKafkaBroker, localBrokerConfig } from '../kafka/local-broker.js';
import { buildServer, type TlsOptions } from './app.js';
import type { BasicAuthOptions } from './basic-auth.js';
import { readPropertiesFile } from './properties-file.js';

export const DEFAULT_PORT = 8088;

export interface StartServerOptions {
  readonly bootstrapServers: string;
  /** Default 8088, ksqlDB's; 0 picks a free port. */
  readonly port?: number;
  /** Default 0.0.0.0, ksqlDB's default listener. */
  readonly host?: string;
  /** Engine configuration, by ksqlDB property names. */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly basicAuth?: BasicAuthOptions;
  readonly logger?: FastifyServerOptions['logger'];
  /** Serve HTTPS with this PEM key and certificate. */
  readonly tls?: TlsOptions;
}

export interface RunningServer {
  /** Where clients reach the server, e.g. `http://127.0.0.1:8088`. */
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly engine: Engine;
  /** Ends the push queries, stops listening, stops the persistent queries, disconnects from Kafka. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const config = options.config ?? {};
  const log = new KafkaLog({ bootstrapServers: options.bootstrapServers, clientId: 'sluice-server' });
  let app: FastifyInstance | undefined;
  const engine = new Engine({
    log,
    registry: builtinFunctions,
    config,
    commandTopic: true,
    // Restores of state (at start, while the command topic is replayed) go to the server log.
    serverLog: (line) => app?.log.info(line),
  });
  const serviceId = config['ksql.service.id'];
  const maxPushQueries = Number(config['ksql.max.push.queries']);
  const commandWaitTimeoutMs = Number(config['ksql.server.command.response.timeout.ms']);
  app = buildServer({
    engine,
    ...(typeof serviceId === 'string' ? { serviceId } : {}),
    ...(Number.isInteger(maxPushQueries) && maxPushQueries > 0 ? { maxPushQueries } : {}),
    ...(Number.isInteger(commandWaitTimeoutMs) && commandWaitTimeoutMs > 0 ? { commandWaitTimeoutMs } : {}),
    ...(options.basicAuth === undefined ? {} : { basicAuth: options.basicAuth }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    logger: options.logger ?? false,
  });
  const close = async () => {
    await app.close();
    await engine.close();
    await log.close();
  };
  try {
    // Replays the command topic: the catalog and the persistent queries come back before the first request.
    await engine.start();
  } catch (err) {
    await close();
    throw err;
  }
  const host = options.host ?? '0.0.0.0';
  try {
    await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  } catch (err) {
    await close();
    throw err;
  }
  const { port } = app.server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const scheme = options.tls === undefined ? 'http' : 'https';
  return { url: `${scheme}://${urlHost}:${port}`, port, app, engine, close };
}

export interface ServerCommandFlags {
  readonly port: string;
  readonly config?: string;
  /** PEM files: with both, the server speaks HTTPS. */
  readonly tlsKey?: string;
  readonly tlsCert?: string;
}

/** The PEM key and certificate of --tls-key / --tls-cert; both or neither. */
export function tlsOf(flags: Pick<ServerCommandFlags, 'tlsKey' | 'tlsCert'>): TlsOptions | undefined {
  if (flags.tlsKey === undefined && flags.tlsCert === undefined) return undefined;
  if (flags.tlsKey === undefined || flags.tlsCert === undefined)
    throw new ServerCommandError('--tls-key and --tls-cert go together');
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ServerCommandError(`cannot read the TLS ${what} ${path}: ${(err as Error).message}`);
    }
  };
  return { key: read(flags.tlsKey, 'key'), cert: read(flags.tlsCert, 'certificate') };
}

/** A problem with how `sluice server` was called, reported in one line. */
export class ServerCommandError extends Error {
  override readonly name = 'ServerCommandError';
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ServerCommandError(`--port must be a port number, got '${text}'`);
  return port;
}

/**
 * `sluice server`: Kafka from SLUICE_BOOTSTRAP_SERVERS, else `bootstrap.servers` of the
 * properties file, else the local broker (started if need be); serves until SIGINT or
 * SIGTERM. Returns the exit code.
 */
export async function serveUntilSignalled(
  flags: ServerCommandFlags,
  say: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const port = portOf(flags.port);
  const tls = tlsOf(flags);
  const config = flags.config === undefined ? {} : readPropertiesFile(flags.config);
  let bootstrapServers = process.env.SLUICE_BOOTSTRAP_SERVERS?.trim() || config['bootstrap.servers'];
  if (!bootstrapServers) {
    const broker = new LocalKafkaBroker(localBrokerConfig());
    await broker.start(say);
    bootstrapServers = broker.bootstrapServers;
  }
  const server = await startServer({
    bootstrapServers,
    port,
    config,
    logger: { level: 'info' },
    ...(tls === undefined ? {} : { tls }),
  });
  say(`Sluice server listening on ${server.url} (Kafka: ${bootstrapServers})`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(received);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  say(`${signal}: stopping the server`);
  await server.close();
  return 0;
}
