import { describe, expect, it } from 'vitest';
import { arrayType, decimalType, mapType, SqlTypes, struct } from '../../../../engine/catalog/types.js';
import { Decimal, makeStruct } from '../../../../engine/catalog/values.js';
import { callFunction } from './call-function.js';

const { STRING, INTEGER, BIGINT, DOUBLE, BYTES, DATE, TIMESTAMP } = SqlTypes;
const s = (v: string | null) => [STRING, v] as const;

describe('JSON functions', () => {
  it('EXTRACTJSONFIELD follows a JsonPath and returns text (extract-json-field.json)', () => {
    const source = '{"name": "cdc", "version": "1", "@type": "UDF"}';
    expect(callFunction('EXTRACTJSONFIELD', s(source), s('$.name'))).toBe('cdc');
    expect(callFunction('EXTRACTJSONFIELD', s(source), s('$.@type'))).toBe('UDF');
    expect(callFunction('EXTRACTJSONFIELD', s('{"array": [1, 2, 3]}'), s('$.array[0]'))).toBe('1');
    expect(callFunction('EXTRACTJSONFIELD', s('{"array": [1, 2, 3]}'), s('$.array[-1]'))).toBeNull();
    expect(callFunction('EXTRACTJSONFIELD', s('{"array": [1.23450]}'), s('$.array[0]'))).toBe('1.23450');
    expect(callFunction('EXTRACTJSONFIELD', s('{"a": {"b": [true]}}'), s('$.a'))).toBe('{"b":[true]}');
    expect(callFunction('EXTRACTJSONFIELD', s('{"a b": 1}'), s("$['a b']"))).toBe('1');
    expect(callFunction('EXTRACTJSONFIELD', s('not json'), s('$.a'))).toBeNull();
    // Text after the first complete value is ignored, as Jackson's readTree does.
    const trailing = '{"name": "cdd", "version": "2", "@type": "VAL"}}';
    expect(callFunction('EXTRACTJSONFIELD', s(trailing), s('$.name'))).toBe('cdd');
    expect(callFunction('EXTRACTJSONFIELD', s('{"a": "}"} x'), s('$.a'))).toBe('}');
    expect(callFunction('EXTRACTJSONFIELD', s('{"a": 1'), s('$.a'))).toBeNull();
    expect(callFunction('EXTRACTJSONFIELD', s(null), s('$.a'))).toBeNull();
  });

  it('JSON_CONCAT merges objects, else concatenates arrays (json_concat.json)', () => {
    expect(callFunction('JSON_CONCAT', s('{"a": 1}'), s('{"b": 2}'))).toBe('{"a":1,"b":2}');
    expect(callFunction('JSON_CONCAT', s('{"a": {"5": 6}}'), s('{"a": {"3": 4}}'))).toBe('{"a":{"3":4}}');
    expect(callFunction('JSON_CONCAT', s('[1, 2]'), s('[3, 4]'))).toBe('[1,2,3,4]');
    expect(callFunction('JSON_CONCAT', s('null'), s('null'))).toBe('[null,null]');
    expect(callFunction('JSON_CONCAT', s('[1, 2]'), s('{"a": 1}'), s('4'))).toBe('[1,2,{"a":1},4]');
    expect(callFunction('JSON_CONCAT', s('[1, [2]]'), s('[[[3]], [[[4]]]]'))).toBe('[1,[2],[[3]],[[[4]]]]');
    expect(callFunction('JSON_CONCAT', s('1'), s(''))).toBeNull();
    expect(callFunction('JSON_CONCAT', s(null), s(null))).toBeNull();
  });

  it('JSON_ITEMS, JSON_RECORDS, JSON_KEYS, JSON_ARRAY_LENGTH, IS_JSON_STRING', () => {
    expect(
      callFunction('JSON_ITEMS', s('[{"type": "A", "timestamp": "2022-01-27"}, {"type": "B"}]')),
    ).toEqual(['{"type":"A","timestamp":"2022-01-27"}', '{"type":"B"}']);
    expect(callFunction('JSON_ITEMS', s('[]'))).toEqual([]);
    const records = callFunction('JSON_RECORDS', s('{"Red": 3, "Green": 5}')) as Map<string, string>;
    expect(Object.fromEntries(records)).toEqual({ Red: '3', Green: '5' });
    expect(callFunction('JSON_RECORDS', s('[1]'))).toBeNull();
    expect(callFunction('JSON_KEYS', s('{"a": 1, "b": {"c": 2}}'))).toEqual(['a', 'b']);
    expect(callFunction('JSON_ARRAY_LENGTH', s('[1, [2, 3]]'))).toBe(2);
    expect(callFunction('JSON_ARRAY_LENGTH', s('{}'))).toBeNull();
    expect(callFunction('IS_JSON_STRING', s('{"a": 1}'))).toBe(true);
    expect(callFunction('IS_JSON_STRING', s('{"a": 1'))).toBe(false);
    expect(callFunction('IS_JSON_STRING', s(''))).toBe(false);
    expect(callFunction('IS_JSON_STRING', s(null))).toBe(false);
  });

  it('JSON_ARRAY_CONTAINS compares primitive values', () => {
    expect(callFunction('JSON_ARRAY_CONTAINS', s('[1, 2, 3]'), [INTEGER, 2])).toBe(true);
    expect(callFunction('JSON_ARRAY_CONTAINS', s('["a", "b"]'), s('b'))).toBe(true);
    expect(callFunction('JSON_ARRAY_CONTAINS', s('["a", "b"]'), s('c'))).toBe(false);
    expect(callFunction('JSON_ARRAY_CONTAINS', s('{"a": 1}'), [INTEGER, 1])).toBe(false);
    expect(callFunction('JSON_ARRAY_CONTAINS', s('[1, 2]'), [BIGINT, 2n])).toBe(true);
    expect(callFunction('JSON_ARRAY_CONTAINS', s('[1.5, 2]'), [DOUBLE, 1.5])).toBe(true);
    // A fractional JSON number never equals an INT, nor an integral one a DOUBLE.
    expect(callFunction('JSON_ARRAY_CONTAINS', s('[1.0]'), [INTEGER, 1])).toBe(false);
    expect(callFunction('JSON_ARRAY_CONTAINS', s('[1]'), [DOUBLE, 1])).toBe(false);
    expect(callFunction('JSON_ARRAY_CONTAINS', s('[null]'), [STRING, null])).toBe(true);
    expect(callFunction('JSON_ARRAY_CONTAINS', s('[[1]]'), [INTEGER, 1])).toBe(false);
  });

  it('TO_JSON_STRING writes values as the REST API does (to_json_string.json)', () => {
    expect(callFunction('TO_JSON_STRING', [INTEGER, 1])).toBe('1');
    expect(callFunction('TO_JSON_STRING', [INTEGER, null])).toBe('null');
    expect(callFunction('TO_JSON_STRING', [BIGINT, 123n])).toBe('123');
    expect(callFunction('TO_JSON_STRING', [DOUBLE, 123.456])).toBe('123.456');
    expect(callFunction('TO_JSON_STRING', [decimalType(4, 2), new Decimal('1.5')])).toBe('1.50');
    expect(callFunction('TO_JSON_STRING', [BYTES, Uint8Array.of(0x21)])).toBe('"IQ=="');
    expect(callFunction('TO_JSON_STRING', [DATE, 1000])).toBe('"1972-09-27"');
    expect(callFunction('TO_JSON_STRING', [TIMESTAMP, 60220000000])).toBe('"1971-11-28T23:46:40.000"');
    const person = struct(['ID', INTEGER], ['NAME', STRING]);
    expect(callFunction('TO_JSON_STRING', [person, makeStruct(person, { ID: 1, NAME: 'Alice' })])).toBe(
      '{"ID":1,"NAME":"Alice"}',
    );
    const reversed = struct(['Z', INTEGER], ['A', mapType(STRING, INTEGER)]);
    const value = makeStruct(reversed, {
      Z: 1,
      A: new Map([
        ['y', 2],
        ['b', 3],
      ]),
    });
    expect(callFunction('TO_JSON_STRING', [reversed, value])).toBe('{"A":{"b":3,"y":2},"Z":1}');
    expect(
      callFunction('TO_JSON_STRING', [mapType(STRING, arrayType(INTEGER)), new Map([['id', [1, 2, 3]]])]),
    ).toBe('{"id":[1,2,3]}');
  });
});
