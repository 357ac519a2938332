/**
 * Writes processing-log entries to a Kafka topic as JSON, in the shape of ksqlDB's processing
 * log records, so that they can be read as a stream (KSQL_PROCESSING_LOG). Appends are
 * chained so entries keep their order; a failed append is counted, never thrown into the
 * query that hit the bad record.
 */
import type { Log } from '../log/log.js';
import type { ProcessingLogEntry } from './processing-log.js';

const TYPE_CODES: Readonly<Record<ProcessingLogEntry['kind'], number>> = {
  deserialization: 0,
  expression: 1,
  serialization: 2,
  timestamp: 1,
};

export function processingLogRecord(entry: ProcessingLogEntry): Record<string, unknown> {
  const where = {
    topic: entry.topic ?? null,
    partition: entry.partition ?? null,
    offset: entry.offset?.toString() ?? null,
  };
  return {
    level: 'ERROR',
    logger: `processing.${entry.queryId}`,
    time: entry.time,
    message: {
      type: TYPE_CODES[entry.kind],
      deserializationError:
        entry.kind === 'deserialization'
          ? { target: 'value', errorMessage: entry.message, cause: [], ...where }
          : null,
      recordProcessingError:
        entry.kind === 'deserialization' ? null : { errorMessage: entry.message, cause: [], ...where },
      productionError: null,
      serializationError: null,
    },
  };
}

export class ProcessingLogTopicWriter {
  private chain: Promise<void> = Promise.resolve();
  failures = 0;

  constructor(
    private readonly log: Log,
    readonly topic: string,
  ) {}

  write(entry: ProcessingLogEntry): void {
    const value = Buffer.from(JSON.stringify(processingLogRecord(entry)));
    this.chain = this.chain
      .then(async () => {
        await this.log.append(this.topic, [{ key: null, value, timestamp: entry.time }]);
      })
      .catch(() => {
        this.failures++;
      });
  }

  /** Resolves once every entry written so far has been appended (or has failed). */
  flush(): Promise<void> {
    return this.chain;
  }
}
