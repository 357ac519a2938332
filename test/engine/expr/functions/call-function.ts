/** Test helper: resolves a built-in call from typed arguments and runs it, as the compiler would. */
import type { SqlType } from '../../../../engine/catalog/types.js';
import { coerceValue } from '../../../../engine/catalog/value-coerce.js';
import type { SqlValue } from '../../../../engine/catalog/values.js';
import type {
  ArgumentInfo,
  LambdaValue,
  RuntimeArgument,
} from '../../../../engine/expr/functions/function-types.js';
import { builtinFunctions } from '../../../../engine/expr/functions/registry.js';

export type TypedArgument =
  | readonly [SqlType | null, SqlValue]
  | { readonly unit: 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS' }
  | { readonly lambda: LambdaValue; readonly params: number; readonly returns: SqlType };

function info(arg: TypedArgument): ArgumentInfo {
  if ('unit' in arg) return { kind: 'unit', unit: arg.unit };
  if ('lambda' in arg) return { kind: 'lambda', arity: arg.params, typeBody: () => arg.returns };
  const [type, value] = arg as readonly [SqlType | null, SqlValue];
  return { kind: 'value', type, constant: value };
}

function runtime(arg: TypedArgument, parameterType: SqlType | null): RuntimeArgument {
  if ('unit' in arg) return arg.unit;
  if ('lambda' in arg) return arg.lambda;
  const [type, value] = arg as readonly [SqlType | null, SqlValue];
  if (type === null || parameterType === null || value === null) return value;
  if (type.kind === 'STRING' && parameterType.kind !== 'STRING') return value;
  return coerceValue(value, type, parameterType);
}

export function resolveCall(name: string, ...args: TypedArgument[]) {
  return builtinFunctions.resolveScalar(name, args.map(info));
}

export function callFunction(name: string, ...args: TypedArgument[]): SqlValue {
  const call = resolveCall(name, ...args);
  return call.invoke(args.map((arg, i) => runtime(arg, call.parameterTypes[i] ?? null)));
}

export function callTable(name: string, ...args: TypedArgument[]): readonly SqlValue[] {
  const call = builtinFunctions.resolveTable(name, args.map(info));
  return call.invoke(args.map((arg, i) => runtime(arg, call.parameterTypes[i] ?? null)));
}
