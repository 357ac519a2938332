import { describe, expect, it } from 'vitest';
import { ParseError, parseExpression, parseStatements, SqlError } from '../../parser/index.js';

function errorOf(text: string): ParseError {
  try {
    parseStatements(text);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`expected a ParseError for: ${text}`);
}

/** Bad input -> where the error is, the offending token, and ksqlDB's wording. */
const badInputs: readonly { sql: string; line: number; column: number; token: string; message: string }[] = [
  {
    sql: 'CREATE OR REPLACE x;',
    line: 1,
    column: 19,
    token: 'x',
    message:
      "Syntax error at or near 'x' at line 1:19, expecting 'SINK', 'SOURCE', 'STREAM', 'TABLE' or 'TYPE'",
  },
  {
    sql: 'SELECT * FROM t WINDOW w;',
    line: 1,
    column: 25,
    token: ';',
    message: "expecting 'HOPPING', 'SESSION' or 'TUMBLING'",
  },
  { sql: 'DROP STREAM s DELETE x;', line: 1, column: 22, token: 'x', message: "Expecting {'TOPIC'}" },
  { sql: 'SELEC * FROM t;', line: 1, column: 1, token: 'SELEC', message: "Unknown statement 'SELEC'" },
  {
    sql: 'SELECT * FROM;',
    line: 1,
    column: 14,
    token: ';',
    message: "line 1:14: Syntax Error\nmissing IDENTIFIER at ';'",
  },
  { sql: 'SELECT * FROM t WHERE;', line: 1, column: 22, token: ';', message: "Syntax error at or near ';'" },
  { sql: 'SELECT a b c FROM t;', line: 1, column: 12, token: 'c', message: 'Syntax Error' },
  {
    sql: "CREATE STREAM s (k STRING (KEY)) WITH (kafka_topic='t');",
    line: 1,
    column: 28,
    token: 'KEY',
    message: "line 1:28: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}",
  },
  {
    sql: "CREATE STREAM s (a INT) WITH (kafka_topic='t');\nSELECT * FROM s GROUP BY a, (b, c);",
    line: 2,
    column: 31,
    token: ',',
    message: "line 2:31: Syntax Error\nmissing ')' at ','",
  },
  { sql: 'SELECT * FROM t WHERE a IN ();', line: 1, column: 29, token: ')', message: 'Syntax Error' },
  { sql: 'CREATE STREAM s (c NULL);', line: 1, column: 20, token: 'NULL', message: 'Syntax Error' },
  { sql: 'SELECT CAST(a AS NULL) FROM t;', line: 1, column: 18, token: 'NULL', message: 'Syntax Error' },
  { sql: 'SELECT * FROM t LIMIT x;', line: 1, column: 23, token: 'x', message: 'Expecting' },
  {
    sql: 'ASSERT VALUES foo (id INT) VALUES (1);',
    line: 1,
    column: 8,
    token: 'VALUES',
    message: "Syntax error at or near 'VALUES' at line 1:8",
  },
  {
    sql: "RUN SCRIPT 'x.sql';",
    line: 1,
    column: 1,
    token: 'RUN',
    message: "line 1:1: Syntax Error\nUnknown statement 'RUN'",
  },
  { sql: 'SELECT * FROM t', line: 1, column: 1, token: '', message: '' },
  { sql: 'SELECT (a FROM t;', line: 1, column: 11, token: 'FROM', message: "missing ')' at 'FROM'" },
  { sql: 'SELECT * FROM t WHERE a = ;', line: 1, column: 27, token: ';', message: 'Syntax Error' },
  {
    sql: 'SELECT * FROM t\n  WHERE a = = b;',
    line: 2,
    column: 13,
    token: '=',
    message: 'line 2:13: Syntax Error',
  },
  { sql: 'SELECT * FROM t #;', line: 1, column: 17, token: '#', message: 'Syntax Error' },
  { sql: "SELECT * FROM t WHERE a = 'open;", line: 1, column: 27, token: "'", message: 'Syntax Error' },
];

describe('syntax errors', () => {
  it.each(badInputs.filter((b) => b.message !== ''))('$sql', ({ sql, line, column, token, message }) => {
    const error = errorOf(sql);
    expect(error).toBeInstanceOf(SqlError);
    expect(error.code).toBe('PARSE_ERROR');
    expect({ line: error.line, column: error.column, token: error.offendingToken }).toEqual({
      line,
      column,
      token,
    });
    expect(error.message).toContain(message);
    expect(error.description).toContain(`line ${line}, column ${column}`);
    expect(error.description).toContain(`'${token}'`);
  });

  it('accepts a last statement without its semicolon', () => {
    expect(parseStatements('SELECT * FROM t').map((s) => s.text)).toEqual(['SELECT * FROM t']);
  });

  it('names the expected alternatives in plain words', () => {
    const error = errorOf('SELECT * FROM t WINDOW TUMBLING (SIZE 1 SECOND) EMIT NEVER;');
    expect(error.expected).toEqual(["'CHANGES'", "'FINAL'"]);
    expect(error.description).toBe(
      "Syntax error at line 1, column 54: found 'NEVER' where 'CHANGES' or 'FINAL' were expected.",
    );
  });

  it('carries the statement text, as ksqlDB does', () => {
    const error = errorOf("SHOW STREAMS;\nCREATE STREAM s (k STRING (KEY)) WITH (kafka_topic='t');");
    expect(error.statementText).toBe("CREATE STREAM s (k STRING (KEY)) WITH (kafka_topic='t');");
    expect(error.messageWithStatement).toBe(
      "line 2:28: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}\nStatement: CREATE STREAM s (k STRING (KEY)) WITH (kafka_topic='t');",
    );
  });
});

describe('errors raised while building the AST', () => {
  it.each([
    [
      "CREATE TABLE t (id INT KEY) WITH (kafka_topic='t');",
      "Line: 1, Col: 17: Column `ID` is a 'KEY' column: please use 'PRIMARY KEY' for tables.",
    ],
    [
      "CREATE STREAM s (id INT PRIMARY KEY) WITH (kafka_topic='t');",
      "Line: 1, Col: 18: Column `ID` is a 'PRIMARY KEY' column: please use 'KEY' for streams.",
    ],
    ['SELECT 1.7976931348623160E309 FROM t;', 'Number overflows DOUBLE: 1.7976931348623160E309'],
    ['SELECT * FROM t LIMIT 2.5;', 'Value must be integer for command: LIMIT'],
    [
      "SELECT * FROM t WHERE a LIKE 'x' ESCAPE 'ab';",
      'Line: 1, Col: 41: Expected single character escape but got: ab',
    ],
    [
      "CREATE TABLE t (k STRING PRIMARY KEY) WITH (kafka_topic='t', window_type='Session', window_size='1 second');",
      "'WINDOW_SIZE' should not be set for SESSION windows.",
    ],
    [
      "CREATE TABLE t (k STRING PRIMARY KEY) WITH (kafka_topic='t', window_type='Hopping', window_size='30 bobs');",
      "Configuration WINDOW_SIZE is invalid: Invalid duration: '30 bobs'. Unknown time unit: 'BOBS'",
    ],
    ['SELECT x->* + 1 FROM t;', "Line: 1, Col: 11: '->*' is only allowed as a select item"],
    ['SELECT transform(a, x + 1 => x) FROM t;', 'Line: 1, Col: 21: Lambda parameters must be identifiers'],
  ])('%s', (sql, message) => {
    const error = errorOf(sql);
    expect(error.message).toBe(message);
  });
});

describe('expected sets after a mismatched token', () => {
  it("names the loop just left and the token, as ksqlDB's ANTLR strategy does", () => {
    const error = errorOf("CREATE STREAM s (k VARCHAR(STRING) (KEY)) WITH (kafka_topic='t');");
    expect(error.message).toBe("line 1:36: Syntax Error\nExpecting {',', ')'}");
    expect(error.expected).toEqual(["','", "')'"]);
  });
});

describe('limits and reserved words', () => {
  it('explains that a reserved word needs quoting to be a name', () => {
    const error = errorOf('CREATE STREAM select (a INT);');
    expect(error.message).toBe(
      'line 1:15: Syntax Error\n"select" is a reserved keyword and it can\'t be used as an identifier. You can use it as an identifier by escaping it as `select`',
    );
  });

  it('reports a statement nested too deeply to parse, instead of crashing', () => {
    const deep = `SELECT ${'('.repeat(20_000)}1${')'.repeat(20_000)} FROM t;`;
    expect(errorOf(deep).message).toMatch(/^Error processing statement: Statement is too large to parse/);
    // The shared parser instance is still sound afterwards.
    expect(parseStatements('SELECT (1) FROM t;')).toHaveLength(1);
  });
});

describe('redacted messages', () => {
  it("drop the detail line, as ksqlDB's log and REST API do", () => {
    const error = errorOf('SELECT * FROM S1 GROUP MYKEY;');
    expect(error.message).toBe("line 1:24: Syntax Error\nmissing 'BY' at 'MYKEY'");
    expect(`${error.redactedMessage}\nStatement: ${error.statementText}`).toBe(
      'line 1:24: Syntax Error\n\nStatement: SELECT * FROM S1 GROUP MYKEY;',
    );
    expect(errorOf('SELECT 1e999 FROM t;').redactedMessage).toBe('Number overflows DOUBLE: 1e999');
  });
});

describe('expression errors', () => {
  it('are syntax errors, not unknown statements', () => {
    expect(() => parseExpression(') + 1')).toThrow(
      "line 1:1: Syntax Error\nSyntax error at or near ')' at line 1:1",
    );
    expect(() => parseExpression('a +')).toThrow(/^line 1:4: Syntax Error/);
  });
});

describe('errors in long statements', () => {
  it('still name what was expected, from the failing rule', () => {
    const columns = Array.from({ length: 150 }, (_, i) => `c${i}`).join(', ');
    const error = errorOf(`SELECT ${columns} FROM t WINDOW w;`);
    expect(error.message).toMatch(
      /Syntax error at or near ';' at line 1:\d+, expecting 'HOPPING', 'SESSION' or 'TUMBLING'$/,
    );
  });
});
