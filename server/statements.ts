/**
 * What the routes need to know about a request's SQL before the Engine runs it: its statement
 * texts, their kinds, and whether its property overrides are allowed.
 */
import type { Statement } from '../parser/ast.js';
import { parseStatement, splitStatements, substituteVariables } from '../parser/index.js';
import { serverMessages } from './messages.js';
import { RestError } from './rest-errors.js';

export type SessionVariables = Readonly<Record<string, string | number | boolean>>;

/**
 * The request's `sessionVariables` substituted into its SQL (the Engine's own DEFINEd
 * variables are substituted again when it runs the text).
 */
export function withSessionVariables(text: string, variables: SessionVariables | undefined): string {
  if (variables === undefined) return text;
  const entries = Object.entries(variables).map(([name, value]) => [name, String(value)] as const);
  return entries.length === 0 ? text : substituteVariables(text, new Map(entries));
}

/** The statement texts of a script, in order. */
export function statementTexts(script: string): string[] {
  return splitStatements(script).map((s) => s.text);
}

/**
 * The kind of statement `text` holds, or `undefined` when it does not parse here (it may
 * still, once variables DEFINEd by the statements before it are substituted).
 */
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
