import { describe, expect, it } from 'vitest';
import {
  endsWithCompleteStatement,
  parseExpression,
  parseStatement,
  parseStatements,
  splitStatements,
} from '../../parser/index.js';

describe('statement splitting', () => {
  const script = [
    '-- a comment; with a semicolon',
    "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='a;b', value_format='JSON');",
    '',
    "  SELECT 'x;y' AS `semi;colon`, /* ; */ v",
    '  FROM s EMIT CHANGES;;',
    'SHOW STREAMS',
  ].join('\n');

  it('keeps each statement exact source text, from its first token to its semicolon', () => {
    expect(parseStatements(script).map((s) => s.text)).toEqual([
      "CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='a;b', value_format='JSON');",
      "SELECT 'x;y' AS `semi;colon`, /* ; */ v\n  FROM s EMIT CHANGES;",
      'SHOW STREAMS',
    ]);
  });

  it('records where each statement starts', () => {
    expect(parseStatements(script).map((s) => s.location)).toEqual([
      { line: 2, column: 1, offset: 31 },
      { line: 4, column: 3, offset: script.indexOf('SELECT') },
      { line: 6, column: 1, offset: script.indexOf('SHOW') },
    ]);
  });

  it('splits without parsing', () => {
    expect(splitStatements('SELEC oops; SHOW TABLES;').map((s) => s.text)).toEqual([
      'SELEC oops;',
      'SHOW TABLES;',
    ]);
  });

  it('finds nothing in a script of comments and semicolons', () => {
    expect(parseStatements('-- nothing\n;;\n/* here */')).toEqual([]);
  });

  it('handles CRLF line ends in positions', () => {
    const [, second] = parseStatements('SHOW TABLES;\r\nSHOW STREAMS;');
    expect(second?.location).toEqual({ line: 2, column: 1, offset: 14 });
  });

  it('reports errors with positions in the whole script', () => {
    expect(() => parseStatements('SHOW TABLES;\n\nSELECT * FROM t WHERE;')).toThrow(
      /^line 3:22: Syntax Error/,
    );
  });
});

describe('statement completeness (for the REPL)', () => {
  it.each([
    ['SHOW STREAMS;', true],
    ['SHOW STREAMS', false],
    ["SELECT ';' FROM t", false],
    ["SELECT 'open;", false],
    ['SHOW STREAMS; -- done', true],
    ['SHOW STREAMS; /* still', false],
    ['SELECT * FROM t /* ; */', false],
    ['', false],
  ])('%j -> %s', (text, complete) => {
    expect(endsWithCompleteStatement(text)).toBe(complete);
  });
});

describe('single statements and expressions', () => {
  it('parseStatement refuses a second statement and an empty text', () => {
    expect(() => parseStatement('SHOW TABLES; SHOW STREAMS;')).toThrow(
      "line 1:14: Syntax Error\nextraneous input 'SHOW' expecting {<EOF>}",
    );
    expect(() => parseStatement(' -- nothing')).toThrow('Empty statement');
  });

  it('parseExpression refuses trailing tokens', () => {
    expect(() => parseExpression('a b')).toThrow(/^line 1:3: Syntax Error/);
  });
});
