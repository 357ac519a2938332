import { describe, expect, it } from 'vitest';
import { formatCsvRecord, parseCsvRecord } from '../../../engine/serde/csv.js';
import { SerdeError } from '../../../engine/serde/errors.js';

describe('formatCsvRecord', () => {
  // Expected lines are ksqlDB outputs from its conformance tests (Apache Commons CSV quoting).
  it.each([
    [['!', 'IQ==', '!'], '"!",IQ==,"!"'],
    [['#', 'Iw==', '#'], '"#",Iw==,"#"'],
    [['-10'], '"-10"'],
    [['-1', 'a', '1'], '"-1",a,1'],
    [['0', '-2147483647', '2147483647'], '0,-2147483647,2147483647'],
    [[null, null, '100', 'newblah', '150'], ',,100,newblah,150'],
    [[null, null], ','],
    [
      [' \t with white space \t', ' \t WITH WHITE SPACE \t', 'with white space', '\t wit'],
      '" \t with white space \t"," \t WITH WHITE SPACE \t",with white space,"\t wit"',
    ],
    [
      ['" + new java.util.function.Supplier<String>(){public String get() {return "boom";}}.get() + "'],
      '""" + new java.util.function.Supplier<String>(){public String get() {return ""boom"";}}.get() + """',
    ],
  ])('%j', (fields, line) => {
    expect(formatCsvRecord(fields, ',')).toBe(line);
  });

  it('quotes what would otherwise be misread', () => {
    expect(formatCsvRecord([''], ',')).toBe('""'); // an empty first field, not an empty line
    expect(formatCsvRecord(['a', ''], ',')).toBe('a,');
    expect(formatCsvRecord(['a,b', 'c'], ',')).toBe('"a,b",c');
    expect(formatCsvRecord(['a,b', 'c'], '|')).toBe('a,b|c');
    expect(formatCsvRecord(['x', 'a|b'], '|')).toBe('x|"a|b"');
    expect(formatCsvRecord(['x', 'two\nlines'], ',')).toBe('x,"two\nlines"');
    expect(formatCsvRecord(['x', 'say "hi"'], ',')).toBe('x,"say ""hi"""');
    expect(formatCsvRecord(['x', 'trailing '], ',')).toBe('x,"trailing "');
    expect(formatCsvRecord(['é', 'é'], ',')).toBe('"é",é');
    expect(formatCsvRecord(['_a', '-b', '.5'], ',')).toBe('"_a",-b,.5');
    expect(formatCsvRecord(['a b', 'c d'], ' ')).toBe('"a b" "c d"');
  });
});

describe('parseCsvRecord', () => {
  it('splits on the delimiter and unquotes', () => {
    expect(parseCsvRecord('foo,bar', ',')).toEqual(['foo', 'bar']);
    expect(parseCsvRecord('"foo","bar"', ',')).toEqual(['foo', 'bar']);
    expect(parseCsvRecord('foo,bar;baz', ';')).toEqual(['foo,bar', 'baz']);
    expect(parseCsvRecord('0\tzero\t0', '\t')).toEqual(['0', 'zero', '0']);
    expect(parseCsvRecord('"a""b",c', ',')).toEqual(['a"b', 'c']);
    expect(parseCsvRecord('a"b,c', ',')).toEqual(['a"b', 'c']);
    expect(parseCsvRecord('"two\nlines",c', ',')).toEqual(['two\nlines', 'c']);
    expect(parseCsvRecord('a,', ',')).toEqual(['a', '']);
    expect(parseCsvRecord(',', ',')).toEqual(['', '']);
    expect(parseCsvRecord('', ',')).toEqual(['']);
  });

  it('reads only the first record', () => {
    expect(parseCsvRecord('a,b\nc,d', ',')).toEqual(['a', 'b']);
    expect(parseCsvRecord('a,b\r\n', ',')).toEqual(['a', 'b']);
  });

  it('rejects broken quoting', () => {
    expect(() => parseCsvRecord('"abc', ',')).toThrow(SerdeError);
    expect(() => parseCsvRecord('"a"x,b', ',')).toThrow(
      /Invalid char between encapsulated token and delimiter/,
    );
  });

  it('reads back what it writes', () => {
    const rows = [
      ['', 'a', ''],
      ['"', ',', '\n'],
      [' x ', '#', '-1'],
    ];
    for (const row of rows) {
      for (const delimiter of [',', '|', '\t', ' ']) {
        expect(parseCsvRecord(formatCsvRecord(row, delimiter), delimiter)).toEqual(row);
      }
    }
  });
});
