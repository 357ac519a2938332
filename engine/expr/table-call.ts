/**
 * Table function calls (EXPLODE, CUBE_EXPLODE, ...): resolved and compiled once; each call
 * turns one row into zero or more values. Used by the planner for the output type and by the
 * runtime's flat-map step to run them.
 */
import type { FunctionCall } from '../../parser/ast.js';
import type { SqlType } from '../catalog/types.js';
import { coerceValue } from '../catalog/value-coerce.js';
import type { SqlValue } from '../catalog/values.js';
import { StatementError } from '../errors.js';
import { type CompiledExpression, compileExpression, type ExpressionScope } from './compile.js';
import {
  type ArgumentInfo,
  type FunctionRegistry,
  FunctionResolutionError,
} from './functions/function-types.js';

export interface CompiledTableCall {
  readonly type: SqlType;
  /** The values the call produces for one row. */
  evaluate(row: readonly SqlValue[]): readonly SqlValue[];
}

export function compileTableCall(
  call: FunctionCall,
  scope: ExpressionScope,
  registry: FunctionRegistry,
): CompiledTableCall {
  const args: CompiledExpression[] = call.args.map((a) =>
    compileExpression(a, scope, registry, { clause: 'SELECT' }),
  );
  const infos: ArgumentInfo[] = args.map((a) => ({ kind: 'value', type: a.type }));
  let resolved: ReturnType<FunctionRegistry['resolveTable']>;
  try {
    resolved = registry.resolveTable(call.name, infos);
  } catch (err) {
    if (err instanceof FunctionResolutionError) throw new StatementError(err.message);
    throw err;
  }
  const converters = args.map((a, i) => {
    const target = resolved.parameterTypes[i];
    return target === null || target === undefined
      ? (v: SqlValue) => v
      : (v: SqlValue) => coerceValue(v, a.type, target);
  });
  return {
    type: resolved.returnType,
    evaluate: (row) => resolved.invoke(args.map((a, i) => converters[i]!(a.evaluate(row)))),
  };
}
