/**
 * What the query routes need to know about a request's SQL before the Engine runs it: its
 * text with the request's variables, its kind, and whether its property overrides are allowed.
 */
import type { Statement } from '../parser/ast.js';
import { parseStatement, substituteVariables } from '../parser/index.js';
import { serverMessages } from './messages.js';
import { type SessionVariables, variablesOf } from './request-session.js';
import { RestError } from './rest-errors.js';

/** A query's text with the request's `sessionVariables` substituted. */
export function withSessionVariables(text: string, sessionVariables: SessionVariables | undefined): string {
  const variables = variablesOf(sessionVariables);
  return variables.size === 0 ? text : substituteVariables(text, variables);
}

/** The kind of statement `text` holds, or `undefined` when it does not parse (the Engine then says why). */
export function statementKind(text: string): Statement['kind'] | undefined {
  try {
    return parseStatement(text).statement.kind;
  } catch {
    return undefined;
  }
}

/** Properties a request may never override; ksqlDB always protects the service id. */
export const ALWAYS_DENIED_OVERRIDES: readonly string[] = ['ksql.service.id'];

export function rejectDeniedOverrides(
  properties: Readonly<Record<string, unknown>> | undefined,
  denied: ReadonlySet<string>,
): void {
  if (properties === undefined) return;
  const names = Object.keys(properties).filter((name) => denied.has(name));
  if (names.length > 0) throw RestError.badRequest(serverMessages.prohibitedOverrides(names));
}
