import { describe, expect, it } from 'vitest';
import {
  assertNever,
  type Expression,
  type ExpressionVisitor,
  parseExpression,
  parseStatement,
  type Statement,
  type StatementVisitor,
  visitExpression,
  visitStatement,
} from '../../parser/index.js';

/** Counts column references; every expression kind must be handled or this does not compile. */
const columnCount: ExpressionVisitor<number> = {
  NullLiteral: () => 0,
  BooleanLiteral: () => 0,
  StringLiteral: () => 0,
  IntegerLiteral: () => 0,
  BigIntLiteral: () => 0,
  DecimalLiteral: () => 0,
  DoubleLiteral: () => 0,
  VariableReference: () => 0,
  ColumnRef: () => 1,
  LambdaVariable: () => 0,
  Dereference: (e) => count(e.base),
  Subscript: (e) => count(e.base) + count(e.index),
  IntervalUnit: () => 0,
  FunctionCall: (e) => e.args.reduce((n, a) => n + count(a), 0),
  Lambda: (e) => count(e.body),
  ArithmeticUnary: (e) => count(e.operand),
  ArithmeticBinary: (e) => count(e.left) + count(e.right),
  Comparison: (e) => count(e.left) + count(e.right),
  Between: (e) => count(e.value) + count(e.lower) + count(e.upper),
  InList: (e) => count(e.value) + e.list.reduce((n, a) => n + count(a), 0),
  Like: (e) => count(e.value) + count(e.pattern),
  IsNull: (e) => count(e.value),
  Not: (e) => count(e.operand),
  Logical: (e) => count(e.left) + count(e.right),
  SearchedCase: (e) => whens(e.whens) + (e.else === undefined ? 0 : count(e.else)),
  SimpleCase: (e) => count(e.operand) + whens(e.whens) + (e.else === undefined ? 0 : count(e.else)),
  Cast: (e) => count(e.operand),
  CreateArray: (e) => e.elements.reduce((n, a) => n + count(a), 0),
  CreateMap: (e) => e.entries.reduce((n, x) => n + count(x.key) + count(x.value), 0),
  CreateStruct: (e) => e.fields.reduce((n, f) => n + count(f.value), 0),
};

function count(e: Expression): number {
  return visitExpression(e, columnCount);
}

function whens(clauses: readonly { condition: Expression; result: Expression }[]): number {
  return clauses.reduce((n, w) => n + count(w.condition) + count(w.result), 0);
}

// @ts-expect-error A visitor that leaves out a kind does not compile.
const incomplete: ExpressionVisitor<number> = { ColumnRef: () => 1 };

/** A switch over statement kinds that ends in assertNever; a new kind breaks the build. */
function isPersistent(statement: Statement): boolean {
  switch (statement.kind) {
    case 'CreateStreamAsSelect':
    case 'CreateTableAsSelect':
    case 'InsertInto':
      return true;
    case 'Query':
    case 'CreateStream':
    case 'CreateTable':
    case 'InsertValues':
    case 'DropStream':
    case 'DropTable':
    case 'DropType':
    case 'DropConnector':
    case 'TerminateQuery':
    case 'PauseQuery':
    case 'ResumeQuery':
    case 'ListStreams':
    case 'ListTables':
    case 'ListTopics':
    case 'ListQueries':
    case 'ListProperties':
    case 'ListFunctions':
    case 'ListTypes':
    case 'ListVariables':
    case 'ListConnectors':
    case 'ListConnectorPlugins':
    case 'DescribeSource':
    case 'DescribeStreams':
    case 'DescribeTables':
    case 'DescribeFunction':
    case 'DescribeConnector':
    case 'Explain':
    case 'PrintTopic':
    case 'SetProperty':
    case 'UnsetProperty':
    case 'AlterSystemProperty':
    case 'DefineVariable':
    case 'UndefineVariable':
    case 'RunScript':
    case 'RegisterType':
    case 'AlterSource':
    case 'AssertTopic':
    case 'AssertSchema':
    case 'CreateConnector':
    case 'AssertValues':
    case 'AssertTombstone':
    case 'AssertStream':
    case 'AssertTable':
      return false;
    default:
      return assertNever(statement);
  }
}

const kindName: Partial<StatementVisitor<string>> = { Query: (q) => `query with ${q.select.length} items` };

describe('visitors', () => {
  it('dispatch every expression kind to its handler', () => {
    expect(count(parseExpression('CASE WHEN a > 1 THEN b[c] ELSE f(d, e->x) END'))).toBe(5);
    expect(incomplete.ColumnRef).toBeDefined();
  });

  it('switch exhaustively over statement kinds', () => {
    expect(isPersistent(parseStatement('INSERT INTO a SELECT * FROM b;').statement)).toBe(true);
    expect(isPersistent(parseStatement('SHOW STREAMS;').statement)).toBe(false);
    const { statement } = parseStatement('SELECT a, b FROM t;');
    expect(statement.kind === 'Query' && kindName.Query?.(statement)).toBe('query with 2 items');
  });

  it('throws on a node it does not know', () => {
    expect(() => assertNever({ kind: 'Unknown' } as never)).toThrow('Unhandled AST node');
    expect(() => visitStatement({ kind: 'Nope' } as never, {} as StatementVisitor<number>)).toThrow();
  });
});
