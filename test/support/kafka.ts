import { describe, inject, it } from 'vitest';
import type { Log, LogRecord } from '../../engine/log/log.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string | null;
    kafkaUnavailable: string | null;
  }
}

export type KafkaTestTarget = { bootstrapServers: string } | { skip: string };

/**
 * Where Kafka tests run: SLUICE_BOOTSTRAP_SERVERS when set (a broker the developer chose),
 * else the broker the global setup started and provided.
 */
export function kafkaTestTarget(): KafkaTestTarget {
  const fromEnv = process.env.SLUICE_BOOTSTRAP_SERVERS?.trim();
  if (fromEnv) return { bootstrapServers: fromEnv };
  const provided = safeInject('kafkaBootstrap');
  if (provided) return { bootstrapServers: provided };
  const reason =
    safeInject('kafkaUnavailable') ??
    'no broker: the global setup provided none and SLUICE_BOOTSTRAP_SERVERS is not set';
  return { skip: reason };
}

/**
 * A describe block that needs a real broker. Without one it is skipped with the reason,
 * except under CI=true, where a missing broker is a failure rather than a silent skip.
 */
export function describeKafka(name: string, body: (bootstrapServers: string) => void): void {
  const target = kafkaTestTarget();
  if ('bootstrapServers' in target) {
    describe(name, () => body(target.bootstrapServers));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a Kafka broker', () => {
        throw new Error(`Kafka broker required under CI=true: ${target.skip}`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${target.skip})`, () => {
    it('needs a Kafka broker', () => {});
  });
}

/** A name no earlier run used, so reruns against the same broker never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function safeInject(key: 'kafkaBootstrap' | 'kafkaUnavailable'): string | null {
  try {
    return (inject(key) as string | null | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * Reads a topic from the beginning with a fresh group until `count` records arrived or
 * `timeoutMs` passed (the caller asserts on what came back).
 */
export async function readTopic(
  log: Log,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<LogRecord[]> {
  const reader = log.openReader({
    groupId: uniqueName('check'),
    topics: [topic],
    autoOffsetReset: 'earliest',
  });
  const received: LogRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    while (received.length < count && Date.now() < deadline)
      received.push(...(await reader.poll({ timeoutMs: 1_000 })));
  } finally {
    await reader.close();
  }
  return received;
}

/**
 * Waits until `groupId` has committed offsets summing to at least `total` over `topics`
 * (every record of single-partition topics written from offset 0), or fails after `timeoutMs`.
 */
export async function waitCommitted(
  log: Log,
  groupId: string,
  topics: string | readonly string[],
  total: number,
  timeoutMs = 240_000,
): Promise<void> {
  const names = typeof topics === 'string' ? [topics] : [...topics];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const committed = await log.committedOffsets(groupId, names);
    if (committed.reduce((sum, p) => sum + Number(p.offset), 0) >= total) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`group ${groupId} did not commit ${total} records of ${names.join(', ')}`);
}
