/**
 * The expression compiler: an AST expression, typed by ksqlDB's rules, becomes a tree of
 * closures once per query; evaluating a record is then a chain of closure calls, with no
 * dispatch on node kinds and no scope lookups per record.
 *
 * Which entry point to use:
 * - `compileExpressionSafe` for operators that process records (projections, filters, keys):
 *   a failing evaluation is reported to the callback (ksqlDB's processing log) and gives null,
 *   as ksqlDB does; a filter treats that null as false.
 * - `compileExpression` where the caller handles the failure itself (INSERT VALUES, pull
 *   queries, tests): `evaluate` throws an ExpressionEvaluationError.
 * - `typeOfExpression` to type without evaluating (the analyzer's checks and column types).
 * Both compile errors are ExpressionCompileError (a StatementError) with the location of the
 * sub-expression at fault.
 */
import type { Expression } from '../../parser/ast.js';
import type { SqlType } from '../catalog/types.js';
import type { SqlValue } from '../catalog/values.js';
import {
  CompileContext,
  type CompileOptions,
  type ExpressionScope,
  type TypedNode,
} from './compile-context.js';
import { compileNode } from './compile-nodes.js';
import { causeMessage, ExpressionEvaluationError } from './errors.js';
import { expressionText } from './expression-text.js';
import type { FunctionRegistry } from './functions/function-types.js';
import { exprMessages } from './messages.js';

export type { CompileOptions, ExpressionScope, ResolvedColumn } from './compile-context.js';

export interface CompiledExpression {
  readonly type: SqlType;
  evaluate(row: readonly SqlValue[]): SqlValue;
}

function compileRoot(
  expr: Expression,
  scope: ExpressionScope,
  registry: FunctionRegistry,
  options: CompileOptions,
): { type: SqlType; node: TypedNode } {
  const ctx = new CompileContext(scope, registry, options, compileNode);
  const node = ctx.node(expr);
  const type = node.type ?? ctx.fail(expr, exprMessages.cannotInferNull());
  return { type, node };
}

/**
 * Compiles `expr` over rows whose columns `scope` names. Throws ExpressionCompileError when the
 * expression does not type; `evaluate` throws ExpressionEvaluationError when a record fails.
 */
export function compileExpression(
  expr: Expression,
  scope: ExpressionScope,
  registry: FunctionRegistry,
  options: CompileOptions = {},
): CompiledExpression {
  const { type, node } = compileRoot(expr, scope, registry, options);
  const evaluate = node.evaluate;
  let text: string | undefined;
  return {
    type,
    evaluate(row) {
      try {
        return evaluate(row);
      } catch (cause) {
        text ??= expressionText(expr);
        throw new ExpressionEvaluationError(
          exprMessages.evaluationFailed(text, causeMessage(cause)),
          text,
          cause,
        );
      }
    },
  };
}

/**
 * Like `compileExpression`, but `evaluate` never throws: every failure, nested or not, goes
 * to `onError` and the value is null (what ksqlDB writes to its processing log and emits).
 */
export function compileExpressionSafe(
  expr: Expression,
  scope: ExpressionScope,
  registry: FunctionRegistry,
  onError: (error: ExpressionEvaluationError) => void,
  options: Omit<CompileOptions, 'onError'> = {},
): CompiledExpression {
  const strict = compileExpression(expr, scope, registry, { ...options, onError });
  return {
    type: strict.type,
    evaluate(row) {
      try {
        return strict.evaluate(row);
      } catch (error) {
        onError(error as ExpressionEvaluationError);
        return null;
      }
    },
  };
}

/** The SQL type of `expr`, with the same checks and errors as compiling it. */
export function typeOfExpression(
  expr: Expression,
  scope: ExpressionScope,
  registry: FunctionRegistry,
  options: CompileOptions = {},
): SqlType {
  return compileRoot(expr, scope, registry, options).type;
}
