/**
 * Table function calls (EXPLODE, CUBE_EXPLODE, ...): resolved and compiled once; each call
 * turns one row into zero or more values. Used by the planner for the output type and by the
 * runtime's flat-map step to run them.
 */
import type { FunctionCall } from '../../parser/ast.js';
import type { SqlType } from '../catalog/types.js';
import type { SqlValue } from '../catalog/values.js';
import { resolveCallArguments } from './call-arguments.js';
import type { ExpressionScope } from './compile.js';
import type { FunctionRegistry } from './functions/function-types.js';

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
  const { resolved, argumentsOf } = resolveCallArguments(call, scope, registry, (infos) =>
    registry.resolveTable(call.name, infos),
  );
  return { type: resolved.returnType, evaluate: (row) => resolved.invoke(argumentsOf(row)) };
}
