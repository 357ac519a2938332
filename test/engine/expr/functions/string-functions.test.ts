import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../../../engine/catalog/types.js';
import { callFunction } from './call-function.js';

const { STRING, INTEGER, BYTES } = SqlTypes;
const s = (v: string | null) => [STRING, v] as const;
const i = (v: number | null) => [INTEGER, v] as const;
const b64 = (v: string) => [BYTES, Uint8Array.from(Buffer.from(v, 'base64'))] as const;
const base64 = (v: unknown) => Buffer.from(v as Uint8Array).toString('base64');

describe('string functions', () => {
  it('SUBSTRING: 1-based, clamped, negative from the end (substring.json)', () => {
    expect(callFunction('SUBSTRING', s('some_string'), i(6))).toBe('string');
    expect(callFunction('SUBSTRING', s('another'), i(6))).toBe('er');
    expect(callFunction('SUBSTRING', s('short'), i(6))).toBe('');
    expect(callFunction('SUBSTRING', s('some_string'), i(6), i(3))).toBe('str');
    expect(callFunction('SUBSTRING', s('some string'), i(0), i(2))).toBe('so');
    expect(callFunction('SUBSTRING', s('some_string'), i(-6))).toBe('string');
    expect(callFunction('SUBSTRING', s(null), i(1))).toBeNull();
    expect(callFunction('SUBSTRING', s('x'), [null, null])).toBeNull();
    expect(base64(callFunction('SUBSTRING', b64('c29tZV9zdHJpbmc='), i(6), i(3)))).toBe('c3Ry');
  });

  it('CONCAT and CONCAT_WS skip nulls; a null separator gives null (concat.json)', () => {
    expect(callFunction('CONCAT', s('prefix-'), s('s1'), s('-postfix'))).toBe('prefix-s1-postfix');
    expect(callFunction('CONCAT', s('a'), [null, null], s('b'))).toBe('ab');
    expect(callFunction('CONCAT_WS', s('SEP'), s('foo'), s(null), s('baz'), [null, null], s('literal'))).toBe(
      'fooSEPbazSEPliteral',
    );
    expect(callFunction('CONCAT_WS', s(null), s('foo'))).toBeNull();
    expect(base64(callFunction('CONCAT', b64('eWVz'), [null, null], b64('bm8=')))).toBe('eWVzbm8=');
    expect(
      base64(callFunction('CONCAT_WS', b64('YQ=='), b64('Yg=='), b64('eWVz'), [null, null], b64('bm8='))),
    ).toBe('YmF5ZXNhbm8=');
  });

  it('INSTR with position and occurrence, from either end (instr.json)', () => {
    expect(callFunction('INSTR', s('corporate floor'), s('or'))).toBe(2);
    expect(callFunction('INSTR', s('should I stay or should I go'), s('or'))).toBe(15);
    expect(callFunction('INSTR', s('no substring'), s('or'))).toBe(0);
    expect(callFunction('INSTR', s('corporate floor'), s('or'), i(4))).toBe(5);
    expect(callFunction('INSTR', s('corporate floor'), s('or'), i(4), i(2))).toBe(14);
    expect(callFunction('INSTR', s('corporate floor'), s('or'), i(-4))).toBe(5);
    expect(callFunction('INSTR', s('corporate floor'), s('or'), i(-4), i(2))).toBe(2);
    expect(callFunction('INSTR', s('short'), s('or'), i(-4), i(2))).toBe(0);
    // Searching backwards, a match must end at the position.
    expect(callFunction('INSTR', s('xxor'), s('or'), i(-2))).toBe(0);
    expect(callFunction('INSTR', s('xxor'), s('or'), i(-1))).toBe(3);
    expect(callFunction('INSTR', s('or'), s('or'), i(5))).toBe(0);
    expect(callFunction('INSTR', s(null), s('or'))).toBe(0);
  });

  it('INITCAP, LEN, UCASE, LCASE, TRIM', () => {
    expect(callFunction('INITCAP', s('the   Quick br0wn fOx'))).toBe('The   Quick Br0wn Fox');
    expect(callFunction('INITCAP', s('some_string'))).toBe('Some_string');
    expect(callFunction('LEN', s('ABC'))).toBe(3);
    expect(callFunction('LEN', b64('YWJj'))).toBe(3);
    expect(callFunction('LEN', s(null))).toBeNull();
    expect(callFunction('UCASE', s('foo'))).toBe('FOO');
    expect(callFunction('LCASE', s('FoO'))).toBe('foo');
    expect(callFunction('TRIM', s('  a b \t'))).toBe('a b');
  });

  it('CHR of a code point or an escape (chr.json)', () => {
    expect(callFunction('CHR', i(75))).toBe('K');
    expect(callFunction('CHR', i(22909))).toBe('\u597d');
    expect(callFunction('CHR', i(99000))).toBe('\ud820\udeb8');
    expect(callFunction('CHR', i(-1))).toBeNull();
    expect(callFunction('CHR', s('\\u004b'))).toBe('K');
    expect(callFunction('CHR', s('\\ud820\\udeb8'))).toBe('\ud820\udeb8');
    for (const bad of ['75', '004b', 'bogus', '']) expect(callFunction('CHR', s(bad))).toBeNull();
  });

  it('SPLIT keeps empty parts; an empty delimiter splits characters (split.json)', () => {
    expect(callFunction('SPLIT', s('a.b.c'), s('.'))).toEqual(['a', 'b', 'c']);
    expect(callFunction('SPLIT', s('..a..'), s('.'))).toEqual(['', '', 'a', '', '']);
    expect(callFunction('SPLIT', s(''), s('.'))).toEqual(['']);
    expect(callFunction('SPLIT', s('abc'), s(''))).toEqual(['a', 'b', 'c']);
    expect(callFunction('SPLIT', s(''), s(''))).toEqual(['']);
    const bytes = callFunction('SPLIT', b64('LmFiYy4='), b64('Lg==')) as Uint8Array[];
    expect(bytes.map(base64)).toEqual(['', 'YWJj', '']);
  });

  it('SPLIT_TO_MAP (split-to-map.json)', () => {
    const map = (v: unknown) => Object.fromEntries(v as Map<string, string>);
    expect(
      map(callFunction('SPLIT_TO_MAP', s('apple:green/banana:yellow/cherry:red'), s('/'), s(':'))),
    ).toEqual({
      apple: 'green',
      banana: 'yellow',
      cherry: 'red',
    });
    expect(
      map(callFunction('SPLIT_TO_MAP', s('apple:green/banana:yellow/cherry:red'), s('&&'), s(':'))),
    ).toEqual({
      apple: 'green/banana',
    });
    expect(map(callFunction('SPLIT_TO_MAP', s('apple:green//banana:yellow/'), s('/'), s(':')))).toEqual({
      apple: 'green',
      banana: 'yellow',
    });
    expect(map(callFunction('SPLIT_TO_MAP', s('a:b'), s('/'), s('=')))).toEqual({});
    expect(callFunction('SPLIT_TO_MAP', s('a:b'), s(''), s(':'))).toBeNull();
    expect(map(callFunction('SPLIT_TO_MAP', s(''), s('/'), s(':')))).toEqual({});
  });

  it('LPAD and RPAD (string-lpad-rpad.json)', () => {
    expect(callFunction('LPAD', s('foo'), i(7), s('Bar'))).toBe('BarBfoo');
    expect(callFunction('LPAD', s('foo'), i(5), s('Bar'))).toBe('Bafoo');
    expect(callFunction('LPAD', s('foo'), i(2), s('Bar'))).toBe('fo');
    expect(callFunction('LPAD', s('foo'), i(-1), s('Bar'))).toBeNull();
    expect(callFunction('LPAD', s('foo'), i(7), s(''))).toBeNull();
    expect(callFunction('LPAD', s(''), i(7), s('Bar'))).toBe('BarBarB');
    expect(callFunction('RPAD', s('foo'), i(7), s('Bar'))).toBe('fooBarB');
  });

  it('ELT and FIELD undo each other (elt-field.json)', () => {
    expect(callFunction('ELT', i(2), s('ignored'), s('something'))).toBe('something');
    expect(callFunction('ELT', i(3), s('a'), s('b'))).toBeNull();
    expect(callFunction('FIELD', s('hello'), s('world'), s('hello'))).toBe(2);
    expect(callFunction('FIELD', s('hello'), s(null), s(null))).toBe(0);
    expect(callFunction('FIELD', s(null), s('a'))).toBe(0);
  });

  it('MASK and its variants', () => {
    expect(callFunction('MASK', s('AbCd#$123xy Z'))).toBe('XxXx--nnnxx-X');
    expect(callFunction('MASK', s('AbCd#$123xy Z'), s('Q'), s('q'), s('9'), s('@'))).toBe('QqQq@@999qq@Q');
    expect(callFunction('MASK', s('AbCd#$123xy Z'), s(null), s('q'), s(null), s('=='))).toBe('AqCq==123qq=Z');
    expect(callFunction('MASK_LEFT', s('AbCd#$123xy Z'), i(5))).toBe('XxXx-$123xy Z');
    expect(callFunction('MASK_RIGHT', s('AbCd#$123xy Z'), i(5))).toBe('AbCd#$12nxx-X');
    expect(callFunction('MASK_KEEP_LEFT', s('AbCd#$123xy Z'), i(5))).toBe('AbCd#-nnnxx-X');
    expect(callFunction('MASK_KEEP_RIGHT', s('AbCd#$123xy Z'), i(5))).toBe('XxXx--nn3xy Z');
  });

  it('REPLACE and UUID', () => {
    expect(callFunction('REPLACE', s('anaconda'), s('a'), s('$&'))).toBe('$&n$&cond$&');
    expect(callFunction('UUID')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
