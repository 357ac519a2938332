/**
 * The scope of one /ksql request. In ksqlDB, DEFINE/UNDEFINE and SET/UNSET inside a request
 * change that request's variables and property overrides only (the CLI keeps them on its side
 * and sends them with every request as `sessionVariables` and `streamsProperties`), and they
 * answer no entity. So the REST layer handles them here, as ksqlDB's does, and the Engine
 * runs the other statements with the request's overrides.
 */

import type { KsqlEntity } from '../engine/entities.js';
import { variableList, warningEntity } from '../engine/entities.js';
import type { Statement } from '../parser/ast.js';
import { parseStatement, splitStatements, substituteVariables } from '../parser/index.js';

export interface PlannedStatement {
  /** The statement's text with the request's variables substituted. */
  readonly text: string;
  readonly statement: Statement;
}

export type SessionVariables = Readonly<Record<string, string | number | boolean>>;

export function variablesOf(sessionVariables: SessionVariables | undefined): Map<string, string> {
  return new Map(
    Object.entries(sessionVariables ?? {}).map(([name, value]) => [name, String(value)] as const),
  );
}

function substitute(text: string, variables: ReadonlyMap<string, string>): string {
  return variables.size === 0 ? text : substituteVariables(text, variables);
}

/**
 * Parses every statement of the request before any runs, as ksqlDB does: each with the
 * variables DEFINEd before it substituted. Throws the first statement's error, with its text.
 */
export function planStatements(
  ksql: string,
  sessionVariables: SessionVariables | undefined,
): PlannedStatement[] {
  const variables = variablesOf(sessionVariables);
  const planned: PlannedStatement[] = [];
  for (const piece of splitStatements(ksql)) {
    const text = substitute(piece.text, variables);
    const { statement } = parseStatement(text);
    if (statement.kind === 'DefineVariable') variables.set(statement.name, statement.value);
    if (statement.kind === 'UndefineVariable') variables.delete(statement.name);
    planned.push({ text, statement });
  }
  return planned;
}

export class RequestSession {
  private readonly variables: Map<string, string>;
  private overrides: Record<string, unknown>;

  constructor(
    streamsProperties: Readonly<Record<string, unknown>>,
    sessionVariables: SessionVariables | undefined,
  ) {
    this.overrides = { ...streamsProperties };
    this.variables = variablesOf(sessionVariables);
  }

  /** The property overrides the next statement runs with. */
  get properties(): Readonly<Record<string, unknown>> {
    return this.overrides;
  }

  /**
   * Runs a statement that only changes the request's scope: `{ entities }` is what it
   * answers (often nothing), `undefined` means the statement is the Engine's to run.
   */
  apply(planned: PlannedStatement): { entities: KsqlEntity[] } | undefined {
    const { statement, text } = planned;
    switch (statement.kind) {
      case 'DefineVariable':
        this.variables.set(statement.name, statement.value);
        return { entities: [] };
      case 'UndefineVariable':
        if (!this.variables.delete(statement.name))
          return {
            entities: [
              warningEntity(text, `Cannot undefine variable '${statement.name}' which was never defined`),
            ],
          };
        return { entities: [] };
      case 'SetProperty':
        this.overrides = { ...this.overrides, [statement.name]: statement.value };
        return { entities: [] };
      case 'UnsetProperty': {
        const { [statement.name]: _unset, ...rest } = this.overrides;
        this.overrides = rest;
        return { entities: [] };
      }
      case 'ListVariables':
        return { entities: [variableList(text, this.variables)] };
      default:
        return undefined;
    }
  }
}
