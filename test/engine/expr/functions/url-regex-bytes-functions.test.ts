import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../../../engine/catalog/types.js';
import { callFunction } from './call-function.js';

const { STRING, INTEGER, BYTES } = SqlTypes;
const s = (v: string | null) => [STRING, v] as const;
const bytes = (base64: string) => [BYTES, Uint8Array.from(Buffer.from(base64, 'base64'))] as const;
const base64 = (v: unknown) => Buffer.from(v as Uint8Array).toString('base64');

describe('URL functions (url.json)', () => {
  it('encode and decode query parameters like Java', () => {
    expect(callFunction('URL_ENCODE_PARAM', s('?foo $bar'))).toBe('%3Ffoo+%24bar');
    expect(callFunction('URL_ENCODE_PARAM', s('hello&world'))).toBe('hello%26world');
    expect(callFunction('URL_DECODE_PARAM', s('%3Ffoo+%24bar'))).toBe('?foo $bar');
    expect(callFunction('URL_DECODE_PARAM', s('url%20encoded'))).toBe('url encoded');
  });

  it('extract the parts of a URL', () => {
    expect(callFunction('URL_EXTRACT_FRAGMENT', s('http://www.test.com/?query#fragment'))).toBe('fragment');
    expect(callFunction('URL_EXTRACT_FRAGMENT', s('http://www.nofragment.com'))).toBeNull();
    expect(callFunction('URL_EXTRACT_HOST', s('http://test@confluent.io:8080'))).toBe('confluent.io');
    expect(callFunction('URL_EXTRACT_PARAMETER', s('http://www.test.com/?one=a&two=b&three'), s('two'))).toBe(
      'b',
    );
    const params = s('http://www.test.com/?one=a&two=b&three');
    expect(callFunction('URL_EXTRACT_PARAMETER', params, s('three'))).toBe('');
    expect(callFunction('URL_EXTRACT_PARAMETER', params, s('four'))).toBeNull();
    expect(callFunction('URL_EXTRACT_PARAMETER', s('http://x.com/?two=url%20encoded'), s('two'))).toBe(
      'url encoded',
    );
    expect(callFunction('URL_EXTRACT_PATH', s('http://x.com/a%20b'))).toBe('/a b');
    expect(() => callFunction('URL_EXTRACT_HOST', s('http://bad url'))).toThrow(/invalid syntax/);
    expect(callFunction('URL_EXTRACT_PATH', s('http://www.test.com?query#fragment'))).toBe('');
    expect(callFunction('URL_EXTRACT_PATH', s('http://test@confluent.io:8080/nested/path?query&jobs'))).toBe(
      '/nested/path',
    );
    expect(callFunction('URL_EXTRACT_PORT', s('http://test@confluent.io'))).toBeNull();
    expect(callFunction('URL_EXTRACT_PORT', s('http://test@confluent.io:8080/nested/path'))).toBe(8080);
    expect(callFunction('URL_EXTRACT_PROTOCOL', s('https://test@confluent.io:8080/nested'))).toBe('https');
    expect(callFunction('URL_EXTRACT_PROTOCOL', s('www.confluent.io'))).toBeNull();
    expect(callFunction('URL_EXTRACT_QUERY', s('http://www.test.com/?one=a&two=b#x'))).toBe('one=a&two=b');
  });
});

describe('regular expression functions (regex.json, replace.json, split.json)', () => {
  it('REGEXP_EXTRACT and REGEXP_EXTRACT_ALL take the pattern first', () => {
    expect(callFunction('REGEXP_EXTRACT', s('test.'), s('some_test_string'))).toBe('test_');
    expect(callFunction('REGEXP_EXTRACT', s('test.'), s('anothertest'))).toBeNull();
    expect(callFunction('REGEXP_EXTRACT', s('(.*) (.*)'), s('steven zhang'), [INTEGER, 2])).toBe('zhang');
    expect(callFunction('REGEXP_EXTRACT', s('(.*) (.*)'), s('agavra'), [INTEGER, 2])).toBeNull();
    expect(callFunction('REGEXP_EXTRACT_ALL', s('test.'), s('some_test_string_testabab'))).toEqual([
      'test_',
      'testa',
    ]);
    expect(callFunction('REGEXP_EXTRACT_ALL', s('test.'), s('nothing'))).toEqual([]);
  });

  it('REGEXP_REPLACE and REGEXP_SPLIT_TO_ARRAY', () => {
    expect(callFunction('REGEXP_REPLACE', s('baababaa'), s('(ab)+'), s('cat'))).toBe('bacataa');
    expect(callFunction('REGEXP_REPLACE', s('baabbabaa'), s('(ab)+'), s('cat'))).toBe('bacatbcataa');
    // Java's replacement syntax: groups by number or name, a backslash escapes a dollar.
    expect(callFunction('REGEXP_REPLACE', s('john smith'), s('(\\w+) (\\w+)'), s('$2, $1'))).toBe(
      'smith, john',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Java's named-group reference, not a template.
    expect(callFunction('REGEXP_REPLACE', s('a1'), s('(?<d>\\d)'), s('<${d}>'))).toBe('a<1>');
    expect(callFunction('REGEXP_REPLACE', s('price'), s('price'), s('\\$5'))).toBe('$5');
    expect(() => callFunction('REGEXP_REPLACE', s('x'), s('x'), s('$'))).toThrow(/group reference/);
    expect(callFunction('REGEXP_SPLIT_TO_ARRAY', s('aabcda'), s('(ab|cd)'))).toEqual(['a', '', 'a']);
    expect(callFunction('REGEXP_SPLIT_TO_ARRAY', s('aabdcda'), s('(ab|cd)'))).toEqual(['a', 'd', 'a']);
    expect(callFunction('REGEXP_SPLIT_TO_ARRAY', s('zxy'), s('(ab|cd)'))).toEqual(['zxy']);
    expect(callFunction('REGEXP_EXTRACT', s('(?i)TEST.'), s('a Testy thing'))).toBe('Testy');
    expect(() => callFunction('REGEXP_EXTRACT', s('(unclosed'), s('x'))).toThrow(
      /Invalid regular expression/,
    );
  });
});

describe('bytes functions (bytes-and-strings.json, encode.json, md5.json)', () => {
  it('TO_BYTES and FROM_BYTES in each encoding', () => {
    expect(callFunction('FROM_BYTES', bytes('GrI='), s('hex'))).toBe('1AB2');
    expect(base64(callFunction('TO_BYTES', s('1aB2'), s('hex')))).toBe('GrI=');
    expect(callFunction('FROM_BYTES', bytes('IQ=='), s('ascii'))).toBe('!');
    expect(callFunction('FROM_BYTES', bytes('IQ=='), s('utf8'))).toBe('!');
    expect(base64(callFunction('TO_BYTES', s('.'), s('utf8')))).toBe('Lg==');
    expect(() => callFunction('TO_BYTES', s('x'), s('utf16'))).toThrow(/encoding/);
  });

  it('INT_FROM_BYTES, BIGINT_FROM_BYTES, DOUBLE_FROM_BYTES read big-endian by default', () => {
    expect(callFunction('INT_FROM_BYTES', bytes('AAAH5Q=='))).toBe(2021);
    expect(callFunction('BIGINT_FROM_BYTES', bytes('AAAAASoF8gA='))).toBe(5000000000n);
    expect(callFunction('DOUBLE_FROM_BYTES', bytes('QICm/ZvJ9YI='))).toBe(532.8738323);
    expect(callFunction('INT_FROM_BYTES', bytes('5QcAAA=='), s('LITTLE_ENDIAN'))).toBe(2021);
    expect(() => callFunction('INT_FROM_BYTES', bytes('AAE='))).toThrow(/4/);
  });

  it('ENCODE between hex, ascii, utf8 and base64', () => {
    const encode = (input: string, from: string, to: string) =>
      callFunction('ENCODE', s(input), s(from), s(to));
    expect(encode('4578616d706C6521', 'hex', 'ascii')).toBe('Example!');
    expect(encode('4578616d706C6521', 'hex', 'base64')).toBe('RXhhbXBsZSE=');
    expect(encode('c39c6265726d656e736368', 'hex', 'utf8')).toBe('\u00dcbermensch');
    expect(encode('c39c6265726d656e736368', 'hex', 'ascii')).toBe('\ufffd\ufffdbermensch');
    expect(encode("X'4578616d706C6521'", 'hex', 'utf8')).toBe('Example!');
    expect(encode('0x578616d706C6521', 'hex', 'utf8')).toBe('\u0005xample!');
    expect(encode('0x', 'hex', 'utf8')).toBe('');
    for (const bad of ['0x0x', "X'", "x'4578616d706C6521", "x'578616d706C6521'", '578616d706C6521']) {
      expect(encode(bad, 'hex', 'utf8')).toBeNull();
    }
    expect(encode('Example!', 'ascii', 'hex')).toBe('4578616d706c6521');
    expect(encode('\u0395\u03bb\u03bb\u03ac\u03b4\u03b1', 'ascii', 'utf8')).toBe('??????');
    expect(encode('zpXOu867zqzOtM6x', 'base64', 'hex')).toBe('ce95cebbcebbceacceb4ceb1');
  });

  it('MD5 as lower-case hex', () => {
    expect(callFunction('MD5', s('r1'))).toBe('7c92cf1eee8d99cc85f8355a3d6e4b86');
    expect(callFunction('MD5', s(''))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(callFunction('MD5', s(null))).toBeNull();
  });
});
