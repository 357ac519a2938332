import { describe, expect, it } from 'vitest';
import { arrayType, decimalType, SqlTypes } from '../../../engine/catalog/types.js';
import { FormatConfigError, FormatSchemaError, SerdeError } from '../../../engine/serde/errors.js';
import { KafkaFormat } from '../../../engine/serde/kafka-format.js';

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function int64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
}
function float64(d: number): Buffer {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d, false);
  return Buffer.from(view.buffer);
}

describe('KAFKA format', () => {
  const col = (type: (typeof SqlTypes)[keyof typeof SqlTypes]) => [{ name: 'K', type }];

  it('writes INTEGER as 4 big-endian bytes', () => {
    const s = KafkaFormat.serde(col(SqlTypes.INTEGER), 'KEY');
    expect(s.serialize([1])).toEqual(Buffer.from([0, 0, 0, 1]));
    expect(s.serialize([-1])).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(s.serialize([2147483647])).toEqual(int32(2147483647));
    expect(s.deserialize(int32(-2147483648))).toEqual([-2147483648]);
    expect(s.deserialize(Buffer.from([0, 0, 1, 0]))).toEqual([256]);
  });

  it('writes BIGINT as 8 big-endian bytes, exactly', () => {
    const s = KafkaFormat.serde(col(SqlTypes.BIGINT), 'VALUE');
    expect(s.serialize([2n])).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 2]));
    expect(s.serialize([9223372036854775807n])).toEqual(
      Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    );
    expect(s.deserialize(int64(-9223372036854775808n))).toEqual([-9223372036854775808n]);
  });

  it('writes DOUBLE as 8 IEEE-754 big-endian bytes', () => {
    const s = KafkaFormat.serde(col(SqlTypes.DOUBLE), 'VALUE');
    expect(s.serialize([2.2])).toEqual(float64(2.2));
    // 1.0 is 0x3FF0000000000000.
    expect(s.serialize([1])).toEqual(Buffer.from([0x3f, 0xf0, 0, 0, 0, 0, 0, 0]));
    expect(s.deserialize(float64(-0.5))).toEqual([-0.5]);
  });

  it('writes STRING as UTF-8 and BYTES raw', () => {
    const s = KafkaFormat.serde(col(SqlTypes.STRING), 'KEY');
    expect(s.serialize(['héllo'])).toEqual(Buffer.from([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]));
    expect(s.deserialize(Buffer.alloc(0))).toEqual(['']);
    expect(s.serialize([''])).toEqual(Buffer.alloc(0));
    const b = KafkaFormat.serde(col(SqlTypes.BYTES), 'VALUE');
    expect(b.serialize([new Uint8Array([0, 255])])).toEqual(Buffer.from([0, 255]));
    expect(b.deserialize(Buffer.from([7]))).toEqual([Buffer.from([7])]);
  });

  it('maps null to null both ways', () => {
    const s = KafkaFormat.serde(col(SqlTypes.INTEGER), 'VALUE');
    expect(s.serialize(null)).toBeNull();
    expect(s.serialize([null])).toBeNull();
    expect(s.deserialize(null)).toBeNull();
  });

  it('ignores the bytes when there are no columns', () => {
    const s = KafkaFormat.serde([], 'KEY');
    expect(s.deserialize(Buffer.from('ignored'))).toEqual([]);
    expect(s.serialize([])).toBeNull();
  });

  it("fails with Kafka's messages on bytes of the wrong size", () => {
    expect(() => KafkaFormat.serde(col(SqlTypes.INTEGER), 'KEY').deserialize(Buffer.from([1, 2, 3]))).toThrow(
      'Size of data received by IntegerDeserializer is not 4',
    );
    expect(() => KafkaFormat.serde(col(SqlTypes.BIGINT), 'KEY').deserialize(int32(1))).toThrow(
      'Size of data received by LongDeserializer is not 8',
    );
    expect(() => KafkaFormat.serde(col(SqlTypes.DOUBLE), 'KEY').deserialize(int32(1))).toThrow(SerdeError);
  });

  it('replaces malformed UTF-8 as Java does', () => {
    expect(KafkaFormat.serde(col(SqlTypes.STRING), 'KEY').deserialize(Buffer.from([0x61, 0xff]))).toEqual([
      'a\ufffd',
    ]);
  });

  it('refuses schemas it cannot hold, with ksqlDB messages (key-schemas.json)', () => {
    expect(() => KafkaFormat.validate([{ name: 'ID', type: arrayType(SqlTypes.INTEGER) }], 'KEY')).toThrow(
      "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`ID` ARRAY<INTEGER> KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'ARRAY'",
    );
    expect(() =>
      KafkaFormat.validate(
        [
          { name: 'K1', type: SqlTypes.INTEGER },
          { name: 'K2', type: SqlTypes.INTEGER },
        ],
        'KEY',
      ),
    ).toThrow(
      "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K1` INTEGER KEY, `K2` INTEGER KEY], features=[]}\nreason: The 'KAFKA' format only supports a single field. Got: [`K1` INTEGER KEY, `K2` INTEGER KEY]",
    );
    expect(() =>
      KafkaFormat.validate(
        [
          { name: 'V0', type: SqlTypes.INTEGER },
          { name: 'V1', type: SqlTypes.STRING },
        ],
        'VALUE',
      ),
    ).toThrow("The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]");
    expect(() => KafkaFormat.validate([{ name: 'KEY', type: decimalType(2, 1) }], 'KEY')).toThrow(
      "schema: Persistence{columns=[`KEY` DECIMAL(2, 1) KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'DECIMAL'",
    );
    for (const type of [SqlTypes.BOOLEAN, SqlTypes.DATE, SqlTypes.TIME, SqlTypes.TIMESTAMP]) {
      expect(() => KafkaFormat.validate([{ name: 'V', type }], 'VALUE')).toThrow(FormatSchemaError);
    }
    expect(() => KafkaFormat.validate([{ name: 'V', type: SqlTypes.BOOLEAN }], 'VALUE')).toThrow(
      "The 'KAFKA' format does not support type 'BOOLEAN'",
    );
  });

  it('accepts WRAP_SINGLE_VALUE=false only (kafka.json)', () => {
    expect(() => KafkaFormat.validate(col(SqlTypes.INTEGER), 'VALUE', { wrapSingleValue: true })).toThrow(
      "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
    );
    expect(() =>
      KafkaFormat.validate(col(SqlTypes.INTEGER), 'VALUE', { wrapSingleValue: false }),
    ).not.toThrow();
    expect(() => KafkaFormat.validate(col(SqlTypes.INTEGER), 'VALUE', { delimiter: '|' })).toThrow(
      FormatConfigError,
    );
  });
});
