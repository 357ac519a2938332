/**
 * Aggregate calls (COUNT, SUM, ...): resolved once with their arguments compiled over the
 * input row; the runtime folds each row's argument values into the call's accumulator.
 */
import type { FunctionCall } from '../../parser/ast.js';
import { coerceValue } from '../catalog/value-coerce.js';
import type { SqlValue } from '../catalog/values.js';
import { StatementError } from '../errors.js';
import { type CompiledExpression, compileExpression, type ExpressionScope } from './compile.js';
import type { AggregateRegistry, ResolvedAggregateCall } from './functions/aggregate-types.js';
import {
  type ArgumentInfo,
  type FunctionRegistry,
  FunctionResolutionError,
} from './functions/function-types.js';

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
  const args: CompiledExpression[] = call.args.map((a) =>
    compileExpression(a, scope, registry, { clause: 'SELECT' }),
  );
  const infos: ArgumentInfo[] = call.args.map((a, i) => {
    const constant =
      a.kind === 'IntegerLiteral' || a.kind === 'StringLiteral' || a.kind === 'BooleanLiteral'
        ? a.value
        : undefined;
    return constant === undefined
      ? { kind: 'value', type: args[i]!.type }
      : { kind: 'value', type: args[i]!.type, constant };
  });
  let resolved: ResolvedAggregateCall;
  try {
    resolved = registry.resolveAggregate(call.name, infos);
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
    ...resolved,
    argumentsOf: (row) => args.map((a, i) => converters[i]!(a.evaluate(row))),
  };
}
