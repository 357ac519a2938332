import type { CommandStatuses } from './command-statuses.js';
import type { RunningQueries } from './running-queries.js';
import type { ServerEngine } from './server-engine.js';

/** ksqlDB's ServerInfo, which the ksql CLI checks at start-up. */
export interface ServerInfo {
  /** A ksqlDB version the CLI accepts (it refuses servers older than 0.10). */
  readonly version: string;
  readonly kafkaClusterId: string;
  readonly ksqlServiceId: string;
}

/** What the routes share. */
export interface ServerContext {
  readonly engine: ServerEngine;
  readonly queries: RunningQueries;
  readonly statuses: CommandStatuses;
  readonly info: ServerInfo;
  readonly deniedOverrides: ReadonlySet<string>;
  /** How long /query may stay silent before it writes a keep-alive newline. */
  readonly keepAliveIntervalMs: number;
  /** `ksql.max.push.queries`: push queries beyond it are refused. */
  readonly maxPushQueries: number;
  /** How long a request carrying `commandSequenceNumber` waits for that command. */
  readonly commandWaitTimeoutMs: number;
  /** How long /healthcheck waits for Kafka to answer. */
  readonly healthCheckTimeoutMs: number;
}
