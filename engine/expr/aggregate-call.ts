/**
 * Aggregate calls (COUNT, SUM, ...): resolved once with their arguments compiled over the
 * input row; the runtime folds each row's argument values into the call's accumulator.
 */
import type { FunctionCall } from '../../parser/ast.js';
import type { SqlValue } from '../catalog/values.js';
import { resolveCallArguments } from './call-arguments.js';
import type { ExpressionScope } from './compile.js';
import type { AggregateRegistry, ResolvedAggregateCall } from './functions/aggregate-types.js';
import type { FunctionRegistry } from './functions/function-types.js';

export interface CompiledAggregateCall extends ResolvedAggregateCall {
  /** The call's argument values for one input row, converted to the parameter types. */
  readonly argumentsOf: (row: readonly SqlValue[]) => SqlValue[];
}

export function isAggregateRegistry(
  registry: FunctionRegistry,
): registry is FunctionRegistry & AggregateRegistry {
  return typeof (registry as Partial<AggregateRegistry>).resolveAggregate === 'function';
}

export function compileAggregateCall(
  call: FunctionCall,
  scope: ExpressionScope,
  registry: FunctionRegistry,
): CompiledAggregateCall {
  if (!isAggregateRegistry(registry)) throw new Error('the function registry has no aggregate functions');
  const { resolved, argumentsOf } = resolveCallArguments(call, scope, registry, (infos) =>
    registry.resolveAggregate(call.name, infos),
  );
  return { ...resolved, argumentsOf };
}
