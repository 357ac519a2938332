/**
 * Windowed record keys, laid out as Kafka Streams' windowed serdes write them, so topics
 * written by ksqlDB and by Sluice read the same:
 *
 * - TUMBLING / HOPPING: `[inner key bytes][window start: int64 big-endian]`; the end is not
 *   stored, a reader adds the window size to the start.
 * - SESSION: `[inner key bytes][window end: int64][window start: int64]`; a session's end is
 *   the time of its last record (inclusive).
 */

import type { SqlValue } from '../catalog/values.js';
import { SerdeError } from './errors.js';
import type { RowSerde } from './format.js';
import { serdeMessages } from './messages.js';

export type WindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

/** Window bounds in epoch millis. */
export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

export interface WindowedKey {
  readonly key: SqlValue[] | null;
  readonly window: WindowBounds;
}

export interface WindowedKeySerde {
  serialize(key: readonly SqlValue[] | null, window: WindowBounds): Buffer;
  deserialize(bytes: Uint8Array): WindowedKey;
}

const LONG_BYTES = 8;

function writeLong(target: Buffer, offset: number, millis: number): void {
  target.writeBigInt64BE(BigInt(millis), offset);
}

function readLong(source: Buffer, offset: number): number {
  const value = source.readBigInt64BE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    // Kafka Streams caps an overflowing window end at Long.MAX_VALUE; keep that end exact.
    return value > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  }
  return Number(value);
}

/**
 * A serde for windowed keys around the serde of the key columns. `windowSizeMs` is required
 * for TUMBLING and HOPPING windows, whose key bytes carry only the start.
 */
export function windowedKeySerde(
  inner: RowSerde,
  windowType: WindowType,
  windowSizeMs?: number,
): WindowedKeySerde {
  const session = windowType === 'SESSION';
  if (!session && (windowSizeMs === undefined || !(windowSizeMs > 0))) {
    throw new RangeError(`A ${windowType} windowed key needs a positive window size`);
  }
  const suffix = session ? 2 * LONG_BYTES : LONG_BYTES;
  return {
    serialize(key: readonly SqlValue[] | null, window: WindowBounds): Buffer {
      const keyBytes = inner.serialize(key) ?? Buffer.alloc(0);
      const out = Buffer.alloc(keyBytes.length + suffix);
      keyBytes.copy(out, 0);
      if (session) {
        writeLong(out, keyBytes.length, window.end);
        writeLong(out, keyBytes.length + LONG_BYTES, window.start);
      } else {
        writeLong(out, keyBytes.length, window.start);
      }
      return out;
    },

    deserialize(bytes: Uint8Array): WindowedKey {
      if (bytes.length < suffix) {
        throw new SerdeError(serdeMessages.windowedKeyTooShort(bytes.length, windowType, suffix));
      }
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const keyLength = buffer.length - suffix;
      const key = inner.deserialize(buffer.subarray(0, keyLength));
      if (session) {
        const end = readLong(buffer, keyLength);
        const start = readLong(buffer, keyLength + LONG_BYTES);
        return { key, window: { start, end } };
      }
      const start = readLong(buffer, keyLength);
      const end = Math.min(start + windowSizeMs!, Number.MAX_SAFE_INTEGER);
      return { key, window: { start, end } };
    },
  };
}
