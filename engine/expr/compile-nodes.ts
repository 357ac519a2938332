/**
 * One case per expression kind: type the node by ksqlDB's rules (failing with its messages)
 * and build the closure that evaluates it. Literals, names, arithmetic and CAST are here;
 * predicates are in compile-predicates.ts, structured access and constructors in
 * compile-structured.ts, and the larger rule sets in their own files (arithmetic, comparison,
 * cast, like, user-list, function-call, case).
 */
import type { ArithmeticBinary, ArithmeticUnary, Cast, ColumnRef, Expression } from '../../parser/ast.js';
import { assertNever } from '../../parser/visitor.js';
import { sqlTypeFromAst } from '../catalog/ast-types.js';
import { arithmeticResultType, canCast, castNotSupportedMessage } from '../catalog/type-rules.js';
import { decimalType, formatType, isNumericType, type SqlType, SqlTypes } from '../catalog/types.js';
import { Decimal } from '../catalog/values.js';
import { arithmeticEvaluator, negationEvaluator } from './arithmetic.js';
import { compileCase } from './case.js';
import { castConverter } from './cast.js';
import { type CompileContext, constantNode, fold, type TypedNode } from './compile-context.js';
import {
  compileBetween,
  compileComparison,
  compileInList,
  compileLike,
  compileLogical,
  compileNot,
} from './compile-predicates.js';
import {
  compileArray,
  compileDereference,
  compileMap,
  compileStruct,
  compileSubscript,
} from './compile-structured.js';
import { expressionText } from './expression-text.js';
import { compileFunctionCall } from './function-call.js';
import { exprMessages } from './messages.js';
import { isLiteral } from './user-list.js';

export function compileNode(ctx: CompileContext, e: Expression): TypedNode {
  const precomputed = resolvePrecomputed(ctx, e);
  if (precomputed !== undefined) return precomputed;
  switch (e.kind) {
    case 'NullLiteral':
      return constantNode(null, null);
    case 'BooleanLiteral':
      return constantNode(SqlTypes.BOOLEAN, e.value);
    case 'StringLiteral':
      return constantNode(SqlTypes.STRING, e.value);
    case 'IntegerLiteral':
      return constantNode(SqlTypes.INTEGER, e.value);
    case 'BigIntLiteral':
      return constantNode(SqlTypes.BIGINT, e.value);
    case 'DecimalLiteral':
      return constantNode(decimalType(Math.max(e.precision, e.scale, 1), e.scale), new Decimal(e.value));
    case 'DoubleLiteral':
      return constantNode(SqlTypes.DOUBLE, e.value);
    case 'VariableReference':
      return ctx.fail(e, exprMessages.unsubstitutedVariable(e.name));
    case 'ColumnRef':
      return compileColumn(ctx, e);
    case 'LambdaVariable': {
      const binding = ctx.lambdaVariables.get(e.name);
      if (binding === undefined) return ctx.fail(e, exprMessages.unknownLambdaVariable(e.name));
      const { slots } = ctx;
      const slot = binding.slot;
      return { type: binding.type, evaluate: () => slots[slot] ?? null };
    }
    case 'Dereference':
      return compileDereference(ctx, e);
    case 'Subscript':
      return compileSubscript(ctx, e);
    case 'IntervalUnit':
      return ctx.fail(e, exprMessages.intervalUnitOutsideCall(e.unit));
    case 'FunctionCall':
      return compileFunctionCall(ctx, e);
    case 'Lambda':
      return ctx.fail(e, exprMessages.lambdaOutsideCall());
    case 'ArithmeticUnary':
      return compileUnary(ctx, e);
    case 'ArithmeticBinary':
      return compileArithmetic(ctx, e);
    case 'Comparison':
      return compileComparison(ctx, e);
    case 'Between':
      return compileBetween(ctx, e);
    case 'InList':
      return compileInList(ctx, e);
    case 'Like':
      return compileLike(ctx, e);
    case 'IsNull': {
      const value = ctx.node(e.value).evaluate;
      const negated = e.negated;
      return { type: SqlTypes.BOOLEAN, evaluate: (row) => (value(row) === null) !== negated };
    }
    case 'Not':
      return compileNot(ctx, e);
    case 'Logical':
      return compileLogical(ctx, e);
    case 'SearchedCase':
    case 'SimpleCase':
      return compileCase(ctx, e);
    case 'Cast':
      return compileCast(ctx, e);
    case 'CreateArray':
      return compileArray(ctx, e);
    case 'CreateMap':
      return compileMap(ctx, e);
    case 'CreateStruct':
      return compileStruct(ctx, e);
    default:
      return assertNever(e);
  }
}

export function columnNode(index: number, type: SqlType): TypedNode {
  return { type, evaluate: (row) => row[index] ?? null };
}

function resolvePrecomputed(ctx: CompileContext, e: Expression): TypedNode | undefined {
  const resolve = ctx.scope.resolveExpression;
  if (resolve === undefined || ctx.lambdaVariables.size > 0 || isLiteral(e) || e.kind === 'ColumnRef') {
    return undefined;
  }
  if (e.kind === 'Lambda' || e.kind === 'LambdaVariable' || e.kind === 'IntervalUnit') return undefined;
  const resolved = resolve.call(ctx.scope, e);
  return resolved === undefined ? undefined : columnNode(resolved.index, resolved.type);
}

function compileColumn(ctx: CompileContext, e: ColumnRef): TypedNode {
  const resolved = ctx.scope.resolveColumn(e.source, e.name);
  if (resolved === undefined)
    return ctx.fail(e, exprMessages.unknownColumn(ctx.options.clause, expressionText(e)));
  return columnNode(resolved.index, resolved.type);
}

function compileUnary(ctx: CompileContext, e: ArithmeticUnary): TypedNode {
  const operand = ctx.node(e.operand);
  const type = operand.type;
  if (type === null || !isNumericType(type)) {
    return ctx.fail(e, exprMessages.unaryOperand(e.operator, type === null ? 'null' : formatType(type)));
  }
  if (e.operator === '+') return operand;
  return fold({ type, evaluate: negationEvaluator(operand) }, [operand]);
}

function compileArithmetic(ctx: CompileContext, e: ArithmeticBinary): TypedNode {
  const left = ctx.node(e.left);
  const right = ctx.node(e.right);
  let type: SqlType;
  try {
    type = arithmeticResultType(e.operator, left.type, right.type);
  } catch (error) {
    return ctx.fail(e, exprMessages.arithmeticError(expressionText(e), (error as Error).message));
  }
  return fold({ type, evaluate: arithmeticEvaluator(e.operator, left, right, type) }, [left, right]);
}

function compileCast(ctx: CompileContext, e: Cast): TypedNode {
  let target: SqlType;
  try {
    target = sqlTypeFromAst(e.type, ctx.options.customTypes);
  } catch (error) {
    return ctx.fail(e, (error as Error).message);
  }
  const operand = ctx.node(e.operand);
  const from = operand.type;
  if (from === null) return constantNode(target, null);
  // ksqlDB checks casts while generating code, so a SELECT reports it as "Invalid Select: ...".
  if (!canCast(from, target)) return ctx.fail(e, castNotSupportedMessage(from, target), 'code-generation');
  const convert = castConverter(from, target);
  const evaluate = operand.evaluate;
  const node: TypedNode = { type: target, evaluate: ctx.orNull((row) => convert(evaluate(row)), e) };
  if (operand.constant === undefined) return node;
  try {
    return constantNode(target, convert(operand.constant.value));
  } catch {
    return node;
  }
}
