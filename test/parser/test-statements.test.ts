import { describe, expect, it } from 'vitest';
import { formatStatement, parseStatement, parseStatements } from '../../parser/index.js';
import { withoutLocations } from './helpers.js';

const options = { testStatements: true };

describe("statements of ksqlDB's SQL testing tool", () => {
  it.each([
    ["ASSERT VALUES out (id, v) VALUES (1, 'a');", 'AssertValues'],
    ['ASSERT VALUES out VALUES (1);', 'AssertValues'],
    ['ASSERT NULL VALUES out (id) KEY (1);', 'AssertTombstone'],
    ["ASSERT STREAM out (id INT KEY, v STRING) WITH (kafka_topic='out');", 'AssertStream'],
    ['ASSERT TABLE t (id INT PRIMARY KEY, n BIGINT);', 'AssertTable'],
  ])('%s', (sql, kind) => {
    const { statement } = parseStatement(sql, options);
    expect(statement.kind).toBe(kind);
    expect(withoutLocations(parseStatement(formatStatement(statement), options).statement)).toEqual(
      withoutLocations(statement),
    );
  });

  it('builds rows and keys', () => {
    expect(
      withoutLocations(parseStatement('ASSERT NULL VALUES out (id) KEY (1);', options).statement),
    ).toEqual({
      kind: 'AssertTombstone',
      target: 'OUT',
      columns: ['ID'],
      keyValues: [{ kind: 'IntegerLiteral', value: 1 }],
    });
  });

  it('are rejected where ksqlDB rejects them, at the word after ASSERT', () => {
    expect(() => parseStatements('ASSERT VALUES foo (id INT) VALUES (123);')).toThrow(
      "line 1:8: Syntax Error\nSyntax error at or near 'VALUES' at line 1:8",
    );
    expect(() => parseStatements('ASSERT NOT EXISTS VALUES foo VALUES (1);', options)).toThrow(
      "Syntax error at or near 'NOT' at line 1:8",
    );
  });
});
