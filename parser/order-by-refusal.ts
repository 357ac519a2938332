/**
 * ORDER BY outside the one place that runs it.
 *
 * The grammar accepts `ORDER BY` on every SELECT, but only pull queries answered by DuckDB
 * (`sluice.query.pull.sql.enabled=true`) run it; push queries, persistent queries and plain pull
 * queries refuse it. ksqlDB's grammar has no ORDER BY at all, so the refusal is worded as its
 * syntax error (`line L:C: Syntax Error`), at the position ksqlDB's parser stops: the BY keyword
 * when ORDER directly follows an unaliased source (ksqlDB reads ORDER as the source's alias
 * there), the ORDER keyword anywhere else. A second line says what Sluice supports.
 */
import type { Query, SourceLocation, Statement } from './ast.js';
import { ParseError } from './errors.js';
import { messages } from './messages.js';

/** The SELECT a statement runs, if any (a query, CREATE ... AS SELECT, INSERT INTO ... SELECT). */
export function queryOfStatement(statement: Statement): Query | undefined {
  switch (statement.kind) {
    case 'Query':
      return statement;
    case 'CreateStreamAsSelect':
    case 'CreateTableAsSelect':
    case 'InsertInto':
      return statement.query;
    case 'Explain':
      return statement.statement === undefined ? undefined : queryOfStatement(statement.statement);
    default:
      return undefined;
  }
}

/** The error refusing a query's ORDER BY; undefined when it has none. */
export function orderByRefusal(query: Query, statementText?: string): ParseError | undefined {
  const orderBy = query.orderBy;
  if (orderBy === undefined) return undefined;
  const readAsAlias =
    query.from.kind === 'AliasedRelation' &&
    query.from.alias === undefined &&
    query.window === undefined &&
    query.where === undefined &&
    query.groupBy === undefined &&
    query.partitionBy === undefined &&
    query.having === undefined;
  const location: SourceLocation = (readAsAlias ? orderBy.byLocation : undefined) ??
    orderBy.location ?? { line: 1, column: 1, offset: 0 };
  const header = messages.syntaxErrorHeader(location.line, location.column);
  const detail = messages.orderByUnsupported();
  return new ParseError({
    message: `${header}\n${detail}`,
    redactedMessage: `${header}\n`,
    description: `${detail} (line ${location.line}, column ${location.column})`,
    location,
    ...(statementText === undefined ? {} : { statementText }),
    offendingToken: readAsAlias ? 'BY' : 'ORDER',
  });
}

/** Throws the refusal of a statement's ORDER BY, if it has one. */
export function refuseOrderBy(statement: Statement, statementText?: string): void {
  const query = queryOfStatement(statement);
  const error = query === undefined ? undefined : orderByRefusal(query, statementText);
  if (error !== undefined) throw error;
}
