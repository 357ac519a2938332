/**
 * The KAFKA format: Kafka's own primitive serializers, for at most one column. INTEGER is a
 * 4-byte and BIGINT an 8-byte big-endian two's complement integer, DOUBLE an 8-byte IEEE-754
 * double, STRING UTF-8 and BYTES the raw bytes. With no columns (the key of a keyless stream)
 * the bytes are ignored.
 */

import type { SqlType } from '../catalog/types.js';
import type { SqlValue } from '../catalog/values.js';
import { FormatSchemaError, SerdeError } from './errors.js';
import {
  checkNoDelimiter,
  checkNoMapKeys,
  checkWrapping,
  type Format,
  formatPersistedColumns,
  type PersistedColumn,
  type RowSerde,
  type SerdeOptions,
  type SerdeTarget,
  schemaNotSupported,
} from './format.js';
import { serdeMessages } from './messages.js';

const SUPPORTED: ReadonlySet<string> = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES']);

interface PrimitiveCodec {
  write(value: SqlValue): Buffer;
  read(bytes: Uint8Array): SqlValue;
}

function fixedSize(bytes: Uint8Array, size: number, deserializer: string): Buffer {
  if (bytes.length !== size) {
    // Kafka's own wording, e.g. "Size of data received by IntegerDeserializer is not 4".
    throw new SerdeError(serdeMessages.kafkaSize(deserializer, size));
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// Java's StringDeserializer replaces malformed UTF-8 instead of failing; so does this.
const utf8 = new TextDecoder('utf-8');

function codecFor(type: SqlType): PrimitiveCodec {
  switch (type.kind) {
    case 'INTEGER':
      return {
        write: (v) => {
          const b = Buffer.alloc(4);
          b.writeInt32BE(v as number);
          return b;
        },
        read: (bytes) => fixedSize(bytes, 4, 'IntegerDeserializer').readInt32BE(0),
      };
    case 'BIGINT':
      return {
        write: (v) => {
          const b = Buffer.alloc(8);
          b.writeBigInt64BE(v as bigint);
          return b;
        },
        read: (bytes) => fixedSize(bytes, 8, 'LongDeserializer').readBigInt64BE(0),
      };
    case 'DOUBLE':
      return {
        write: (v) => {
          const b = Buffer.alloc(8);
          b.writeDoubleBE(v as number);
          return b;
        },
        read: (bytes) => fixedSize(bytes, 8, 'DoubleDeserializer').readDoubleBE(0),
      };
    case 'STRING':
      return {
        write: (v) => Buffer.from(v as string, 'utf8'),
        read: (bytes) => utf8.decode(bytes),
      };
    case 'BYTES':
      return {
        write: (v) => Buffer.from(v as Uint8Array),
        read: (bytes) => Buffer.from(bytes),
      };
    default:
      throw new FormatSchemaError(serdeMessages.typeNotSupported('KAFKA', type.kind));
  }
}

class KafkaRowSerde implements RowSerde {
  private readonly codec: PrimitiveCodec | undefined;

  constructor(columns: readonly PersistedColumn[]) {
    const [column] = columns;
    this.codec = column && codecFor(column.type);
  }

  serialize(row: readonly SqlValue[] | null): Buffer | null {
    const value = row?.[0] ?? null;
    if (this.codec === undefined || value === null) return null;
    try {
      return this.codec.write(value);
    } catch (e) {
      throw new SerdeError(serdeMessages.failedToSerialize('KAFKA', (e as Error).message), { cause: e });
    }
  }

  deserialize(bytes: Uint8Array | null): SqlValue[] | null {
    if (bytes === null) return null;
    if (this.codec === undefined) return [];
    return [this.codec.read(bytes)];
  }
}

export const KafkaFormat: Format = Object.freeze({
  name: 'KAFKA' as const,

  validate(columns: readonly PersistedColumn[], target: SerdeTarget, options: SerdeOptions = {}): void {
    checkNoMapKeys(columns, target);
    checkNoDelimiter('KAFKA', options);
    checkWrapping('KAFKA', columns, target, options, { wrap: false, unwrap: true });
    const reject = (reason: string) => schemaNotSupported('KAFKA', columns, target, options, reason);
    if (columns.length > 1) {
      throw reject(serdeMessages.kafkaSingleField(formatPersistedColumns(columns, target)));
    }
    const [column] = columns;
    if (column !== undefined && !SUPPORTED.has(column.type.kind)) {
      throw reject(serdeMessages.typeNotSupported('KAFKA', column.type.kind));
    }
  },

  serde(columns: readonly PersistedColumn[], target: SerdeTarget, options: SerdeOptions = {}): RowSerde {
    this.validate(columns, target, options);
    return new KafkaRowSerde(columns);
  },
});
