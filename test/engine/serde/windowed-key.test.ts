import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../../engine/catalog/types.js';
import { SerdeError } from '../../../engine/serde/errors.js';
import { JsonFormat } from '../../../engine/serde/json-format.js';
import { KafkaFormat } from '../../../engine/serde/kafka-format.js';
import { windowedKeySerde } from '../../../engine/serde/windowed-key.js';

function long(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

describe('windowed keys', () => {
  const bigintKey = KafkaFormat.serde([{ name: 'K', type: SqlTypes.BIGINT }], 'KEY');

  it('lays out time windows as key bytes then the start', () => {
    const serde = windowedKeySerde(bigintKey, 'TUMBLING', 30_000);
    const bytes = serde.serialize([10n], { start: 30_000, end: 60_000 });
    expect(bytes).toEqual(Buffer.concat([long(10), long(30_000)]));
    expect(serde.deserialize(bytes)).toEqual({ key: [10n], window: { start: 30_000, end: 60_000 } });
  });

  it('derives a hopping window end from its size', () => {
    const serde = windowedKeySerde(bigintKey, 'HOPPING', 5_000);
    const bytes = Buffer.concat([long(7), long(1_000)]);
    expect(serde.deserialize(bytes).window).toEqual({ start: 1_000, end: 6_000 });
  });

  it('lays out session windows as key bytes, end, then start', () => {
    const serde = windowedKeySerde(bigintKey, 'SESSION');
    const bytes = serde.serialize([0n], { start: 0, end: 10_009 });
    expect(bytes).toEqual(Buffer.concat([long(0), long(10_009), long(0)]));
    expect(serde.deserialize(bytes)).toEqual({ key: [0n], window: { start: 0, end: 10_009 } });
  });

  it('wraps keys of any format', () => {
    const json = JsonFormat.serde(
      [
        { name: 'A', type: SqlTypes.STRING },
        { name: 'B', type: SqlTypes.INTEGER },
      ],
      'KEY',
    );
    const serde = windowedKeySerde(json, 'TUMBLING', 1_000);
    const bytes = serde.serialize(['x', 1], { start: -1_000, end: 0 });
    expect(bytes).toEqual(Buffer.concat([Buffer.from('{"A":"x","B":1}'), long(-1_000)]));
    expect(serde.deserialize(bytes).key).toEqual(['x', 1]);
    const strings = windowedKeySerde(
      KafkaFormat.serde([{ name: 'K', type: SqlTypes.STRING }], 'KEY'),
      'SESSION',
    );
    expect(strings.deserialize(strings.serialize(['k'], { start: 5, end: 9 }))).toEqual({
      key: ['k'],
      window: { start: 5, end: 9 },
    });
  });

  it('refuses keys too short for the window and time windows without a size', () => {
    expect(() => windowedKeySerde(bigintKey, 'SESSION').deserialize(Buffer.alloc(15))).toThrow(SerdeError);
    expect(() => windowedKeySerde(bigintKey, 'TUMBLING')).toThrow(RangeError);
  });
});
