/**
 * Scalar function calls: the compiler types the arguments, the registry picks the signature
 * (typing lambda bodies through `typeBody` as it goes), and the call becomes one closure that
 * evaluates the arguments, converts them to the parameter types the registry asked for, and
 * invokes the implementation.
 *
 * Lambdas are closures over the compilation's parameter slots: calling one writes its
 * arguments into its slots and evaluates the body against the row of the evaluation under
 * way, so no scope object is built per record.
 */
import type { Expression, FunctionCall, Lambda } from '../../parser/ast.js';
import { canCast, canImplicitlyCast } from '../catalog/type-rules.js';
import { type SqlType, typesEqual } from '../catalog/types.js';
import { coerceValue } from '../catalog/value-coerce.js';
import type { SqlValue } from '../catalog/values.js';
import { castConverter, type ValueConverter } from './cast.js';
import type { CompileContext, Evaluator, TypedNode } from './compile-context.js';
import { ExpressionCompileError } from './errors.js';
import { expressionText } from './expression-text.js';
import type { ArgumentInfo, LambdaValue, RuntimeArgument } from './functions/function-types.js';
import { exprMessages } from './messages.js';

interface TypedLambda {
  readonly slots: readonly number[];
  readonly body: TypedNode;
}

type RuntimeEvaluator = (row: readonly SqlValue[]) => RuntimeArgument;

export function compileFunctionCall(ctx: CompileContext, e: FunctionCall): TypedNode {
  const { registry } = ctx;
  if (registry.isAggregate(e.name) && !registry.isScalar(e.name)) {
    ctx.fail(e, exprMessages.aggregateNotAllowed(expressionText(e)));
  }
  if (registry.isTable(e.name) && !registry.isScalar(e.name)) {
    ctx.fail(e, exprMessages.tableFunctionNotAllowed(expressionText(e)));
  }

  const nodes: (TypedNode | undefined)[] = [];
  const lambdas: ({ last?: TypedLambda } | undefined)[] = [];
  const infos: ArgumentInfo[] = e.args.map((arg, i) => {
    nodes[i] = undefined;
    lambdas[i] = undefined;
    if (arg.kind === 'IntervalUnit') return { kind: 'unit', unit: arg.unit };
    if (arg.kind === 'Lambda') {
      const holder: { last?: TypedLambda } = {};
      lambdas[i] = holder;
      return {
        kind: 'lambda',
        arity: arg.params.length,
        typeBody: (paramTypes) => {
          holder.last = typeLambda(ctx, arg, paramTypes);
          return holder.last.body.type!;
        },
      };
    }
    const node = ctx.node(arg);
    nodes[i] = node;
    return node.constant === undefined
      ? { kind: 'value', type: node.type }
      : { kind: 'value', type: node.type, constant: node.constant.value };
  });

  let resolved: ReturnType<typeof registry.resolveScalar>;
  try {
    resolved = registry.resolveScalar(e.name, infos);
  } catch (error) {
    if (error instanceof ExpressionCompileError) throw error;
    return ctx.fail(e, error instanceof Error ? error.message : String(error));
  }

  const args: RuntimeEvaluator[] = e.args.map((arg, i) => {
    if (arg.kind === 'IntervalUnit') {
      const unit = arg.unit;
      return () => unit;
    }
    const holder = lambdas[i];
    if (holder !== undefined) {
      const typed = holder.last ?? typeLambda(ctx, arg as Lambda, []);
      const lambda = lambdaValue(ctx, typed);
      return () => lambda;
    }
    return argumentEvaluator(ctx, arg, nodes[i]!, resolved.parameterTypes[i] ?? null);
  });

  const invoke = resolved.invoke;
  const call = callEvaluator(args, invoke);
  if (!lambdas.some((l) => l !== undefined)) return { type: resolved.returnType, evaluate: call };
  const frame = ctx.frame;
  return {
    type: resolved.returnType,
    evaluate: (row) => {
      frame.row = row;
      return call(row);
    },
  };
}

function callEvaluator(
  args: readonly RuntimeEvaluator[],
  invoke: (args: readonly RuntimeArgument[]) => SqlValue,
): Evaluator {
  const [a, b, c] = args;
  switch (args.length) {
    case 0:
      return () => invoke([]);
    case 1:
      return (row) => invoke([a!(row)]);
    case 2:
      return (row) => invoke([a!(row), b!(row)]);
    case 3:
      return (row) => invoke([a!(row), b!(row), c!(row)]);
    default:
      return (row) => {
        const values: RuntimeArgument[] = new Array(args.length);
        for (let i = 0; i < args.length; i++) values[i] = args[i]!(row);
        return invoke(values);
      };
  }
}

/**
 * One value argument, converted to its parameter type. A literal converts once, here; a
 * nested call or dereference that fails evaluates to null (ksqlDB's nested error handling).
 */
function argumentEvaluator(
  ctx: CompileContext,
  arg: Expression,
  node: TypedNode,
  parameterType: SqlType | null,
): Evaluator {
  const convert =
    parameterType === null || node.type === null ? undefined : converter(node.type, parameterType);
  if (convert !== undefined && node.constant !== undefined) {
    try {
      const value = convert(node.constant.value);
      return () => value;
    } catch {
      // Left to fail per record, where the failure is reported like any other.
    }
  }
  let evaluate = node.evaluate;
  if (convert !== undefined) {
    const inner = evaluate;
    evaluate = (row) => convert(inner(row));
  }
  return arg.kind === 'FunctionCall' || arg.kind === 'Dereference' || convert !== undefined
    ? ctx.orNull(evaluate, arg)
    : evaluate;
}

function converter(from: SqlType, to: SqlType): ValueConverter | undefined {
  if (typesEqual(from, to)) return undefined;
  if (canCast(from, to)) return castConverter(from, to);
  if (canImplicitlyCast(from, to)) return (v) => coerceValue(v, from, to);
  return undefined;
}

function typeLambda(ctx: CompileContext, lambda: Lambda, paramTypes: readonly SqlType[]): TypedLambda {
  if (paramTypes.length !== lambda.params.length) {
    ctx.fail(lambda, exprMessages.lambdaArity(paramTypes.length, lambda.params.length));
  }
  const saved = ctx.lambdaVariables;
  const variables = new Map(saved);
  const slots = lambda.params.map((name, i) => {
    const slot = ctx.allocateSlot();
    variables.set(name, { slot, type: paramTypes[i]! });
    return slot;
  });
  ctx.lambdaVariables = variables;
  let body: TypedNode;
  try {
    body = ctx.node(lambda.body);
  } finally {
    ctx.lambdaVariables = saved;
  }
  if (body.type === null) ctx.fail(lambda.body, exprMessages.cannotInferNull());
  return { slots, body };
}

function lambdaValue(ctx: CompileContext, typed: TypedLambda): LambdaValue {
  const { slots, frame } = ctx;
  const body = typed.body.evaluate;
  const [s0 = 0, s1 = 0, s2 = 0] = typed.slots;
  switch (typed.slots.length) {
    case 1:
      return (a) => {
        slots[s0] = a ?? null;
        return body(frame.row);
      };
    case 2:
      return (a, b) => {
        slots[s0] = a ?? null;
        slots[s1] = b ?? null;
        return body(frame.row);
      };
    case 3:
      return (a, b, c) => {
        slots[s0] = a ?? null;
        slots[s1] = b ?? null;
        slots[s2] = c ?? null;
        return body(frame.row);
      };
    default:
      return (...params) => {
        typed.slots.forEach((slot, i) => {
          slots[slot] = params[i] ?? null;
        });
        return body(frame.row);
      };
  }
}
