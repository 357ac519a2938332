import { describe, expect, it } from 'vitest';
import {
  formatStatement,
  orderByRefusal,
  ParseError,
  parseStatement,
  parseStatements,
  type Query,
  refuseOrderBy,
} from '../../parser/index.js';
import { col, stmt, withoutLocations } from './helpers.js';

function query(text: string): Query {
  const statement = stmt(text);
  if (statement.kind !== 'Query') throw new Error(`not a query: ${text}`);
  return statement;
}

function errorOf(text: string): ParseError {
  try {
    parseStatements(text);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`expected a ParseError for: ${text}`);
}

describe('ORDER BY', () => {
  it('parses keys with ASC/DESC and NULLS FIRST/LAST, after HAVING and before LIMIT', () => {
    const q = query(
      'SELECT a, COUNT(*) AS c FROM t WHERE x = 1 GROUP BY a HAVING COUNT(*) > 1 ' +
        'ORDER BY c DESC NULLS LAST, a ASC, 2, a NULLS FIRST LIMIT 5;',
    );
    expect(q.orderBy?.items).toEqual([
      { kind: 'SortItem', expression: col('C'), ordering: 'DESC', nulls: 'LAST' },
      { kind: 'SortItem', expression: col('A'), ordering: 'ASC' },
      { kind: 'SortItem', expression: { kind: 'IntegerLiteral', value: 2 } },
      { kind: 'SortItem', expression: col('A'), nulls: 'FIRST' },
    ]);
    expect(q.limit).toBe(5);
    expect(q.having).toBeDefined();
  });

  it('takes expressions as keys and keywords in any case', () => {
    const q = query('select * from t order by abs(x - 1) desc nulls first, t.y;');
    expect(q.orderBy?.items.map((i) => i.expression.kind)).toEqual(['FunctionCall', 'ColumnRef']);
    expect(q.orderBy?.items[0]).toMatchObject({ ordering: 'DESC', nulls: 'FIRST' });
  });

  it('keeps ORDER, ASC, DESC, NULLS, FIRST and LAST usable as names', () => {
    const q = query('SELECT order, asc, desc, nulls, first, last FROM t order;');
    expect(q.select.map((s) => (s.kind === 'SingleColumn' ? s.expression : s))).toEqual(
      ['ORDER', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST'].map((n) => col(n)),
    );
    expect(q.from).toEqual({ kind: 'AliasedRelation', name: 'T', alias: 'ORDER' });
    expect(query('SELECT * FROM t ORDER BY last DESC, desc;').orderBy?.items).toEqual([
      { kind: 'SortItem', expression: col('LAST'), ordering: 'DESC' },
      { kind: 'SortItem', expression: col('DESC') },
    ]);
  });

  it('round-trips through the formatter', () => {
    for (const text of [
      'SELECT * FROM t ORDER BY a DESC NULLS LAST, b LIMIT 3;',
      'SELECT a, SUM(b) s FROM t GROUP BY a HAVING SUM(b) > 0 ORDER BY s ASC NULLS FIRST;',
      'SELECT * FROM a JOIN b ON a.id = b.id ORDER BY a.x, 1 DESC;',
      'SELECT * FROM t `ORDER` ORDER BY `ORDER`.x;',
      'SELECT * FROM t ORDER BY x EMIT CHANGES;',
    ]) {
      const statement = parseStatement(text).statement;
      const formatted = formatStatement(statement);
      expect(withoutLocations(parseStatement(formatted).statement)).toEqual(withoutLocations(statement));
    }
    expect(formatStatement(parseStatement('select * from t order by a desc nulls last, b;').statement)).toBe(
      'SELECT * FROM T ORDER BY A DESC NULLS LAST, B;',
    );
    // An alias named ORDER is quoted, so that it is not read back as the clause.
    expect(formatStatement(parseStatement('SELECT * FROM t order;').statement)).toBe(
      'SELECT * FROM T `ORDER`;',
    );
  });

  it('reports malformed clauses with their line and column', () => {
    const cases: [string, number, number, string][] = [
      ['SELECT * FROM t ORDER BY;', 1, 25, ';'],
      ['SELECT * FROM t\nORDER BY x NULLS;', 2, 17, ';'],
      ['SELECT * FROM t ORDER BY x DESC, LIMIT 3;', 1, 34, 'LIMIT'],
      ['SELECT * FROM t ORDER BY x ASC DESC;', 1, 32, 'DESC'],
      ['SELECT * FROM t LIMIT 3 ORDER BY x;', 1, 25, 'ORDER'],
    ];
    for (const [sql, line, column, token] of cases) {
      const error = errorOf(sql);
      expect({ sql, line: error.line, column: error.column, token: error.offendingToken }).toEqual({
        sql,
        line,
        column,
        token,
      });
      expect(error.message).toMatch(new RegExp(`^line ${line}:${column}: Syntax Error\\n`));
    }
  });

  it('is refused where it does not run, as ksqlDB refuses it, with the position', () => {
    // Directly after the source ksqlDB reads ORDER as an alias and stops at BY.
    const text = 'SELECT * FROM S1 ORDER BY MYKEY DESC;';
    const error = orderByRefusal(parseStatement(text).statement as Query, text)!;
    expect(error).toBeInstanceOf(ParseError);
    expect([error.line, error.column]).toEqual([1, 24]);
    expect(error.message).toBe(
      'line 1:24: Syntax Error\nORDER BY is only supported for pull queries over materialized tables with sluice.query.pull.sql.enabled=true.',
    );
    expect(error.redactedMessage).toBe('line 1:24: Syntax Error\n');
    // Anywhere else it stops at ORDER.
    const other = orderByRefusal(
      parseStatement('SELECT * FROM S1\nWHERE x = 1\n  ORDER BY x;').statement as Query,
    )!;
    expect([other.line, other.column]).toEqual([3, 3]);
    expect(orderByRefusal(parseStatement('SELECT * FROM S1;').statement as Query)).toBeUndefined();
    for (const sql of [
      'CREATE STREAM s2 AS SELECT * FROM s ORDER BY x;',
      'CREATE TABLE t2 AS SELECT a, COUNT(*) FROM s GROUP BY a ORDER BY a;',
      'INSERT INTO s2 SELECT * FROM s ORDER BY x;',
      'SELECT * FROM s ORDER BY x EMIT CHANGES;',
    ]) {
      expect(() => refuseOrderBy(parseStatement(sql).statement, sql)).toThrow(ParseError);
    }
    expect(() => refuseOrderBy(parseStatement('SELECT * FROM s EMIT CHANGES;').statement)).not.toThrow();
  });
});
