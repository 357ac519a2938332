/**
 * The argument side of a table or aggregate function call: compile the arguments over the
 * input row, resolve the function from their types (a user's mistake becomes a
 * StatementError), and convert each row's argument values to the parameter types chosen.
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

export interface ResolvedCallArguments<R> {
  readonly resolved: R;
  /** The call's argument values for one input row, converted to the parameter types. */
  readonly argumentsOf: (row: readonly SqlValue[]) => SqlValue[];
}

export function resolveCallArguments<R extends { readonly parameterTypes: readonly (SqlType | null)[] }>(
  call: FunctionCall,
  scope: ExpressionScope,
  registry: FunctionRegistry,
  resolve: (args: readonly ArgumentInfo[]) => R,
): ResolvedCallArguments<R> {
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
  let resolved: R;
  try {
    resolved = resolve(infos);
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
  return { resolved, argumentsOf: (row) => args.map((a, i) => converters[i]!(a.evaluate(row))) };
}
