/**
 * What the compiler passes around while it turns one expression tree into closures: the typed
 * node each sub-expression becomes, and the context of one compilation (names, functions,
 * lambda parameters, error handling).
 */
import type { Expression, SourceLocation } from '../../parser/ast.js';
import type { CustomTypeLookup } from '../catalog/ast-types.js';
import type { SqlType } from '../catalog/types.js';
import type { SqlValue } from '../catalog/values.js';
import {
  causeMessage,
  ExpressionCompileError,
  type ExpressionErrorPhase,
  ExpressionEvaluationError,
} from './errors.js';
import { expressionText } from './expression-text.js';
import type { FunctionRegistry } from './functions/function-types.js';
import { exprMessages } from './messages.js';

/** Evaluates a compiled sub-expression against one row. */
export type Evaluator = (row: readonly SqlValue[]) => SqlValue;

export interface TypedNode {
  /** null only for the untyped NULL literal, whose type comes from its context. */
  readonly type: SqlType | null;
  readonly evaluate: Evaluator;
  /** Set when every evaluation gives the same value (literals, folded constants). */
  readonly constant?: { readonly value: SqlValue };
}

export interface ResolvedColumn {
  readonly index: number;
  readonly type: SqlType;
}

/** How names in an expression map to positions in a row. */
export interface ExpressionScope {
  /** Resolves a column reference; undefined when unknown. `source` is the qualifier (alias or source name) if written. */
  resolveColumn(source: string | undefined, name: string): ResolvedColumn | undefined;
  /**
   * Optional: a whole sub-expression the planner has already computed into the row (an
   * aggregate call such as `SUM(X)` in HAVING, a GROUP BY expression). Asked for every
   * node outside lambda bodies before it is compiled; undefined compiles it normally.
   */
  resolveExpression?(expression: Expression): ResolvedColumn | undefined;
}

export interface CompileOptions {
  /** The clause being compiled, named in unknown-column messages (`WHERE column 'X' cannot be resolved.`). */
  readonly clause?: string;
  /** Resolves CREATE TYPE names used in CAST. */
  readonly customTypes?: CustomTypeLookup;
  /**
   * Receives each error ksqlDB logs to the processing log while still producing a value: a
   * failing CAST, a failing function call nested as an argument, a failing constructor
   * element (each of those evaluates to null and evaluation goes on).
   */
  readonly onError?: (error: ExpressionEvaluationError) => void;
}

export interface LambdaBinding {
  readonly slot: number;
  readonly type: SqlType;
}

/** The state of one compilation. */
export class CompileContext {
  /** Current values of lambda parameters, by slot; lambdas write them before running their body. */
  readonly slots: SqlValue[] = [];
  /** The row of the evaluation under way, which lambda bodies read (set by calls that pass lambdas). */
  readonly frame: { row: readonly SqlValue[] } = { row: [] };
  /** Parameters of the lambdas around the node being compiled. */
  lambdaVariables: ReadonlyMap<string, LambdaBinding> = new Map();

  constructor(
    readonly scope: ExpressionScope,
    readonly registry: FunctionRegistry,
    readonly options: CompileOptions,
    /** Compiles a sub-expression in this context (set by compile.ts; breaks an import cycle). */
    readonly compile: (ctx: CompileContext, e: Expression) => TypedNode,
  ) {}

  node(e: Expression): TypedNode {
    return this.compile(this, e);
  }

  allocateSlot(): number {
    this.slots.push(null);
    return this.slots.length - 1;
  }

  fail(e: Expression, message: string, phase: ExpressionErrorPhase = 'type-check'): never {
    throw new ExpressionCompileError(message, expressionText(e), locationOf(e), phase);
  }

  /**
   * ksqlDB's nested error handling: a failure inside `evaluate` is reported and becomes null,
   * so the enclosing expression still produces a value.
   */
  orNull(evaluate: Evaluator, e: Expression): Evaluator {
    const onError = this.options.onError;
    let text: string | undefined;
    return (row) => {
      try {
        return evaluate(row);
      } catch (cause) {
        if (onError !== undefined) {
          text ??= expressionText(e);
          onError(
            new ExpressionEvaluationError(
              exprMessages.evaluationFailed(text, causeMessage(cause)),
              text,
              cause,
            ),
          );
        }
        return null;
      }
    };
  }
}

export function locationOf(e: Expression): SourceLocation | undefined {
  return e.location;
}

export function constantNode(type: SqlType | null, value: SqlValue): TypedNode {
  return { type, evaluate: () => value, constant: { value } };
}

/**
 * Evaluates once, now, a node whose inputs are all constant. A failure (say `1 / 0`) is left
 * to happen per record, where ksqlDB reports it.
 */
export function fold(node: TypedNode, inputs: readonly TypedNode[]): TypedNode {
  if (!inputs.every((i) => i.constant !== undefined)) return node;
  try {
    return constantNode(node.type, node.evaluate([]));
  } catch {
    return node;
  }
}
