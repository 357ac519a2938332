import { type Expression, parseExpression, parseStatement, type Statement } from '../../parser/index.js';

/** A node without its source locations, for comparisons. */
export function withoutLocations<T>(node: T): T {
  return JSON.parse(
    JSON.stringify(node, (key, value) =>
      /location$/i.test(key) ? undefined : typeof value === 'bigint' ? `${value}n` : value,
    ),
  ) as T;
}

export function expr(text: string): Expression {
  return withoutLocations(parseExpression(text));
}

export function stmt(text: string): Statement {
  return withoutLocations(parseStatement(text, { clientStatements: true }).statement);
}

export const col = (name: string, source?: string) =>
  source === undefined ? { kind: 'ColumnRef', name } : { kind: 'ColumnRef', source, name };
export const int = (value: number) => ({ kind: 'IntegerLiteral', value });
