import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../../engine/catalog/types.js';
import { UnsupportedFormatError } from '../../../engine/serde/errors.js';
import { formatFor, isKnownFormatName } from '../../../engine/serde/formats.js';
import { NoneFormat } from '../../../engine/serde/none-format.js';

describe('formatFor', () => {
  it('finds formats ignoring case', () => {
    expect(formatFor('json').name).toBe('JSON');
    expect(formatFor('Delimited').name).toBe('DELIMITED');
    expect(formatFor('KAFKA').name).toBe('KAFKA');
    expect(formatFor('none').name).toBe('NONE');
  });

  it('names unknown formats as ksqlDB does', () => {
    expect(() => formatFor('FOO')).toThrow('Unknown format: FOO');
    expect(isKnownFormatName('foo')).toBe(false);
  });

  it('refuses the Schema Registry formats clearly', () => {
    for (const name of ['AVRO', 'protobuf', 'JSON_SR', 'PROTOBUF_NOSR']) {
      expect(isKnownFormatName(name)).toBe(true);
      expect(() => formatFor(name)).toThrow(UnsupportedFormatError);
    }
    expect(() => formatFor('avro')).toThrow(/Schema Registry/);
  });
});

describe('NONE format', () => {
  it('ignores bytes and writes nothing', () => {
    const s = NoneFormat.serde([], 'KEY');
    expect(s.deserialize(Buffer.from('data that should be ignored'))).toEqual([]);
    expect(s.deserialize(null)).toBeNull();
    expect(s.serialize([])).toBeNull();
  });

  it('refuses columns (none.json)', () => {
    expect(() => NoneFormat.validate([{ name: 'K', type: SqlTypes.STRING }], 'KEY')).toThrow(
      "The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]",
    );
    expect(() => NoneFormat.validate([{ name: 'FOO', type: SqlTypes.INTEGER }], 'VALUE')).toThrow(
      "The 'NONE' format can only be used when no columns are defined. Got: [`FOO` INTEGER]",
    );
  });
});
