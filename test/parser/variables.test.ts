// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings hold ksqlDB's ${variable} syntax
import { describe, expect, it } from 'vitest';
import { ParseError, parseStatement, substituteVariables } from '../../parser/index.js';
import { withoutLocations } from './helpers.js';

describe('variable substitution', () => {
  const vars = { topic: 'orders', fmt: "'JSON'", n: '3', src: 'Orders', quote: "it's" };

  it('replaces identifiers and literals', () => {
    expect(substituteVariables('SELECT * FROM ${src} LIMIT ${n};', vars)).toBe(
      'SELECT * FROM Orders LIMIT 3;',
    );
    expect(substituteVariables('CREATE STREAM s WITH (value_format=${fmt});', vars)).toBe(
      "CREATE STREAM s WITH (value_format='JSON');",
    );
  });

  it('replaces inside strings and quoted names, escaping quotes in strings', () => {
    expect(substituteVariables("SELECT '${topic}-x', `${topic}` FROM t;", vars)).toBe(
      "SELECT 'orders-x', `orders` FROM t;",
    );
    expect(substituteVariables("SELECT '${quote}' FROM t;", vars)).toBe("SELECT 'it''s' FROM t;");
  });

  it('leaves undefined variables and comments alone', () => {
    expect(substituteVariables('SELECT ${nope} FROM t; -- ${topic}', vars)).toBe(
      'SELECT ${nope} FROM t; -- ${topic}',
    );
    expect(withoutLocations(parseStatement('SELECT ${nope} FROM t;').statement)).toMatchObject({
      select: [{ expression: { kind: 'VariableReference', name: 'nope' } }],
    });
  });

  it('is case-sensitive in names', () => {
    expect(substituteVariables('SELECT ${TOPIC} FROM t;', vars)).toBe('SELECT ${TOPIC} FROM t;');
  });

  it('accepts a Map', () => {
    expect(substituteVariables('DROP STREAM ${s};', new Map([['s', 'x']]))).toBe('DROP STREAM x;');
  });

  it('refuses values that are neither one identifier nor one literal', () => {
    expect(() => substituteVariables('SELECT * FROM ${evil};', { evil: 't; DROP STREAM x' })).toThrow(
      ParseError,
    );
    expect(() => substituteVariables('SELECT * FROM ${evil};', { evil: 't; DROP STREAM x' })).toThrow(
      /^Illegal argument at Line: 1, Col: 15\./,
    );
  });
});
