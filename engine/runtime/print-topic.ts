/**
 * PRINT topic: a topic's raw records as text, with the key and value formats guessed from
 * the bytes the way ksqlDB's PRINT does (JSON, else a KAFKA integer or string).
 */
import type { Log, LogRecord } from '../log/log.js';

export interface PrintOptions {
  readonly fromBeginning: boolean;
  /** Print every n-th record. */
  readonly interval?: number;
  readonly limit?: number;
  readonly groupId: string;
  readonly pollTimeoutMs?: number;
}

export interface PrintedTopic extends AsyncIterable<string> {
  close(): Promise<void>;
}

type Guess = 'JSON' | 'KAFKA_INT' | 'KAFKA_BIGINT' | 'KAFKA_STRING' | 'BYTES' | '<null>';

function guess(bytes: Buffer | null): Guess {
  if (bytes === null) return '<null>';
  const text = bytes.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return 'JSON';
  } catch {
    // not JSON
  }
  if (bytes.length === 4 && !isPrintable(text)) return 'KAFKA_INT';
  if (bytes.length === 8 && !isPrintable(text)) return 'KAFKA_BIGINT';
  return Buffer.from(text, 'utf8').equals(bytes) ? 'KAFKA_STRING' : 'BYTES';
}

function isPrintable(text: string): boolean {
  return /^[\x20-\x7e\t\r\n]*$/.test(text);
}

function render(bytes: Buffer | null, format: Guess): string {
  if (bytes === null) return '<null>';
  switch (format) {
    case 'KAFKA_INT':
      return String(bytes.readInt32BE(0));
    case 'KAFKA_BIGINT':
      return String(bytes.readBigInt64BE(0));
    case 'BYTES':
      return bytes.toString('base64');
    default:
      return bytes.toString('utf8');
  }
}

/** `yyyy/MM/dd HH:mm:ss.SSS Z`, the time form PRINT shows. */
function rowtime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 23)} Z`;
}

export function formatPrintedRecord(record: LogRecord): {
  line: string;
  keyFormat: Guess;
  valueFormat: Guess;
} {
  const keyFormat = guess(record.key);
  const valueFormat = guess(record.value);
  const headers =
    record.headers.length === 0
      ? ''
      : `, headers: [${record.headers.map((h) => `{key: ${h.key}, value: ${h.value?.toString('utf8') ?? '<null>'}}`).join(', ')}]`;
  const line = `rowtime: ${rowtime(record.timestamp)}, key: ${render(record.key, keyFormat)}, value: ${render(record.value, valueFormat)}, partition: ${record.partition}${headers}`;
  return { line, keyFormat, valueFormat };
}

export function printTopic(log: Log, topic: string, options: PrintOptions): PrintedTopic {
  const reader = log.openReader({
    groupId: options.groupId,
    topics: [topic],
    autoOffsetReset: options.fromBeginning ? 'earliest' : 'latest',
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await reader.close();
  };
  async function* lines(): AsyncGenerator<string> {
    let seen = 0;
    let printed = 0;
    let announced = false;
    try {
      while (!closed && (options.limit === undefined || printed < options.limit)) {
        for (const record of await reader.poll({ timeoutMs: options.pollTimeoutMs ?? 500 })) {
          if (seen++ % (options.interval ?? 1) !== 0) continue;
          const { line, keyFormat, valueFormat } = formatPrintedRecord(record);
          if (!announced) {
            announced = true;
            yield `Key format: ${keyFormat}`;
            yield `Value format: ${valueFormat}`;
          }
          yield line;
          printed++;
          if (options.limit !== undefined && printed >= options.limit) break;
        }
      }
    } finally {
      await close();
    }
  }
  return { close, [Symbol.asyncIterator]: lines };
}
