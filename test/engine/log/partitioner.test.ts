import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, RecordPartitioner } from '../../../engine/log/partitioner.js';

describe('murmur2', () => {
  // Expected values from Kafka's own UtilsTest.testMurmur2 (the Java client's reference).
  const javaCases: Array<[string | number[], number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    [[0x61, 0x62, 0x63], 479470107],
  ];
  for (const [input, expected] of javaCases) {
    it(`hashes ${JSON.stringify(input)} like the Java client`, () => {
      const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Uint8Array.from(input);
      expect(murmur2(bytes)).toBe(expected);
    });
  }

  it('covers every tail length and multi-byte UTF-8', () => {
    expect(murmur2(Buffer.alloc(0))).toBe(275646681);
    expect(murmur2(Buffer.from('a'))).toBe(-1563381124);
    expect(murmur2(Buffer.from('ab'))).toBe(316155434);
    expect(murmur2(Buffer.from('key-1'))).toBe(193331640);
    expect(murmur2(Buffer.from('héllo'))).toBe(614509002);
  });
});

describe('partitionForKey', () => {
  it('masks the sign bit as Utils.toPositive does, then takes the modulus', () => {
    // murmur2('21') = -973932308; & 0x7fffffff = 1173551340
    expect(partitionForKey(Buffer.from('21'), 7)).toBe(1173551340 % 7);
    expect(partitionForKey(Buffer.from('abc'), 10)).toBe(479470107 % 10);
  });
});

describe('RecordPartitioner', () => {
  it('prefers an explicit partition, hashes keys, and round-robins null keys from 0', () => {
    const partitioner = new RecordPartitioner();
    const key = Buffer.from('foobar');
    expect(partitioner.choose('t', { key, value: null, partition: 2 }, 3)).toBe(2);
    expect(partitioner.choose('t', { key, value: null }, 3)).toBe(partitionForKey(key, 3));
    const nullKeyed = [0, 1, 2, 3].map(() => partitioner.choose('t', { key: null, value: null }, 3));
    expect(nullKeyed).toEqual([0, 1, 2, 0]);
    expect(partitioner.choose('u', { key: null, value: null }, 3)).toBe(0);
  });

  it('rejects a partition the topic does not have', () => {
    const partitioner = new RecordPartitioner();
    expect(() => partitioner.choose('t', { key: null, value: null, partition: 3 }, 3)).toThrow(/partition 3/);
  });
});
