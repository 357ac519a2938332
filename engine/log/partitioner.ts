import { LogError, type ProducerRecord } from './log.js';

/**
 * Kafka's murmur2 (`org.apache.kafka.common.utils.Utils.murmur2`), bit for bit, returning
 * the signed 32-bit hash Java returns. Hand-written because the partition a key lands on is
 * part of Kafka's wire contract: MemoryLog and KafkaLog must agree with Java producers.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) {
    h ^= data[whole]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner picks for a non-null key. */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/**
 * Chooses partitions like Kafka's default partitioner: an explicit partition wins, a key
 * hashes with murmur2, and null keys round-robin per topic from partition 0 (deterministic,
 * where Kafka's sticky partitioner would pick arbitrarily).
 */
export class RecordPartitioner {
  private readonly nextNullKeyPartition = new Map<string, number>();

  choose(topic: string, record: ProducerRecord, partitions: number): number {
    if (record.partition !== undefined) {
      if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= partitions) {
        throw new LogError(
          'unknown_partition',
          `Topic '${topic}' has ${partitions} partition(s); partition ${record.partition} does not exist`,
        );
      }
      return record.partition;
    }
    if (record.key !== null) return partitionForKey(record.key, partitions);
    const next = this.nextNullKeyPartition.get(topic) ?? 0;
    this.nextNullKeyPartition.set(topic, next + 1);
    return next % partitions;
  }
}
