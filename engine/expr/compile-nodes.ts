/**
 * One case per expression kind: type the node by ksqlDB's rules (failing with its messages)
 * and build the closure that evaluates it. Operators with more than a screenful of rules live
 * in their own files (arithmetic, comparison, cast, like, user-list, function-call, case).
 */
import type {
  ArithmeticBinary,
  ArithmeticUnary,
  Between,
  Cast,
  ColumnRef,
  Comparison,
  CreateArray,
  CreateMap,
  CreateStruct,
  Dereference,
  Expression,
  InList,
  Like,
  Logical,
  Not,
  Subscript,
} from '../../parser/ast.js';
import { assertNever } from '../../parser/visitor.js';
import { sqlTypeFromAst } from '../catalog/ast-types.js';
import {
  arithmeticResultType,
  canCast,
  canImplicitlyCast,
  castNotSupportedMessage,
  isValidComparison,
} from '../catalog/type-rules.js';
import {
  decimalType,
  formatType,
  isNumericType,
  isPrimitiveType,
  type SqlType,
  SqlTypes,
  structType,
  typesEqual,
} from '../catalog/types.js';
import { coerceValue } from '../catalog/value-coerce.js';
import { mapGet, valuesEqual } from '../catalog/value-compare.js';
import { parseTimestampText } from '../catalog/value-text.js';
import { Decimal, type SqlStruct, type SqlValue } from '../catalog/values.js';
import { arithmeticEvaluator, negationEvaluator } from './arithmetic.js';
import { compileCase } from './case.js';
import { castConverter } from './cast.js';
import { COMPARISON_NAMES, comparisonEvaluator } from './comparison.js';
import { type CompileContext, constantNode, type Evaluator, type TypedNode } from './compile-context.js';
import { expressionText } from './expression-text.js';
import { compileFunctionCall } from './function-call.js';
import { likeEvaluator } from './like.js';
import { exprMessages } from './messages.js';
import { coerceUserList, isLiteral } from './user-list.js';

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

function columnNode(index: number, type: SqlType): TypedNode {
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

/** A typed operand, failing on the untyped NULL literal with the message `nullMessage` gives. */
function typed(ctx: CompileContext, e: Expression, node: TypedNode, nullMessage: () => string): SqlType {
  if (node.type === null) return ctx.fail(e, nullMessage());
  return node.type;
}

function compileDereference(ctx: CompileContext, e: Dereference): TypedNode {
  const base = ctx.node(e.base);
  const type = base.type;
  if (type === null || type.kind !== 'STRUCT') {
    return ctx.fail(e, exprMessages.notAStruct(type === null ? 'null' : formatType(type)));
  }
  const field = type.fields.find((f) => f.name === e.field);
  if (field === undefined)
    return ctx.fail(e, exprMessages.unknownStructField(e.field, expressionText(e.base)));
  const name = field.name;
  const evaluate = base.evaluate;
  return {
    type: field.type,
    evaluate: (row) => {
      const struct = evaluate(row);
      return struct === null ? null : ((struct as SqlStruct)[name] ?? null);
    },
  };
}

function compileSubscript(ctx: CompileContext, e: Subscript): TypedNode {
  const base = ctx.node(e.base);
  const index = ctx.node(e.index);
  const type = base.type;
  const at = base.evaluate;
  if (type?.kind === 'ARRAY') {
    const indexType = index.type;
    if (indexType !== null && indexType.kind !== 'INTEGER' && indexType.kind !== 'BIGINT') {
      return ctx.fail(e.index, exprMessages.arrayIndexType(expressionText(e.index), formatType(indexType)));
    }
    const position = index.evaluate;
    return {
      type: type.element,
      evaluate: (row) => {
        const array = at(row) as readonly SqlValue[] | null;
        const i = position(row);
        if (array === null || i === null) return null;
        // 1-based; negative counts from the end; out of range is null (ksqlDB's ArrayAccess).
        const n = Number(i);
        const offset = n >= 0 ? n - 1 : array.length + n;
        return offset >= 0 && offset < array.length ? (array[offset] ?? null) : null;
      },
    };
  }
  if (type?.kind === 'MAP') {
    const keyType = type.key;
    let key = index.evaluate;
    if (index.type !== null && !typesEqual(index.type, keyType)) {
      const from = index.type;
      if (!canImplicitlyCast(from, keyType)) {
        return ctx.fail(
          e.index,
          exprMessages.mapKeyType(expressionText(e.index), formatType(keyType), formatType(from)),
        );
      }
      const raw = key;
      key = (row) => coerceValue(raw(row), from, keyType);
    }
    const lookup = isPrimitiveType(keyType) && keyType.kind !== 'BYTES' ? plainGet : mapGet;
    return {
      type: type.value,
      evaluate: (row) => {
        const map = at(row) as ReadonlyMap<SqlValue, SqlValue> | null;
        if (map === null) return null;
        return lookup(map, key(row)) ?? null;
      },
    };
  }
  const hint = type?.kind === 'STRUCT' ? `${expressionText(e.base)}->${expressionText(e.index)}` : undefined;
  return ctx.fail(
    e,
    exprMessages.subscriptNotApplicable(expressionText(e), type === null ? 'null' : formatType(type), hint),
  );
}

function plainGet(map: ReadonlyMap<SqlValue, SqlValue>, key: SqlValue): SqlValue | undefined {
  return map.get(key);
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

/**
 * Evaluates once, now, a node whose inputs are all constant. A failure (say `1 / 0`) is left
 * to happen per record, where ksqlDB reports it.
 */
function fold(node: TypedNode, inputs: readonly TypedNode[]): TypedNode {
  if (!inputs.every((i) => i.constant !== undefined)) return node;
  try {
    return constantNode(node.type, node.evaluate([]));
  } catch {
    return node;
  }
}

const PSEUDO_TIME_COLUMNS: ReadonlySet<string> = new Set(['ROWTIME', 'WINDOWSTART', 'WINDOWEND']);

/**
 * ksqlDB lets a STRING literal stand for a time next to ROWTIME, WINDOWSTART and WINDOWEND,
 * which are BIGINT epoch millis: `ROWTIME > '2020-01-01T00:00:00'` compares with the parsed
 * instant. Returns the literal as a BIGINT when `e` is such a literal beside such a column.
 */
function pseudoTimestamp(
  ctx: CompileContext,
  e: Expression,
  other: Expression,
  otherNode: TypedNode,
): TypedNode | undefined {
  if (e.kind !== 'StringLiteral' || other.kind !== 'ColumnRef' || otherNode.type?.kind !== 'BIGINT')
    return undefined;
  if (!PSEUDO_TIME_COLUMNS.has(other.name.toUpperCase())) return undefined;
  try {
    return constantNode(SqlTypes.BIGINT, BigInt(parseTimestampText(e.value)));
  } catch (error) {
    return ctx.fail(e, exprMessages.invalidTimestampLiteral(e.value, (error as Error).message));
  }
}

type ComparisonOperator = Comparison['operator'];

/** Checks that `left operator right` types; fails with ksqlDB's message when not. */
function checkComparison(
  ctx: CompileContext,
  at: Expression,
  operator: ComparisonOperator,
  left: { e: Expression; node: TypedNode },
  right: { e: Expression; node: TypedNode },
): void {
  const l = left.node.type;
  const r = right.node.type;
  const distinct = operator === 'IS DISTINCT FROM' || operator === 'IS NOT DISTINCT FROM';
  if (l === null || r === null) {
    if (distinct) return;
    const name = (t: SqlType | null) => (t === null ? 'NULL' : t.kind);
    ctx.fail(at, exprMessages.comparisonWithNull(name(l), operator, name(r)));
  }
  if (!isValidComparison(l, COMPARISON_NAMES[operator] as Parameters<typeof isValidComparison>[1], r)) {
    ctx.fail(
      at,
      exprMessages.cannotCompare(
        expressionText(left.e),
        formatType(l),
        expressionText(right.e),
        formatType(r),
        COMPARISON_NAMES[operator],
      ),
    );
  }
}

function nullComparison(operator: ComparisonOperator, left: TypedNode, right: TypedNode): Evaluator {
  // IS [NOT] DISTINCT FROM with an untyped NULL: only nullness matters.
  const other = left.type === null ? right.evaluate : left.evaluate;
  const bothNull = left.type === null && right.type === null;
  const distinctIfNull = operator === 'IS NOT DISTINCT FROM';
  if (bothNull) return () => distinctIfNull;
  return (row) => (other(row) === null) === distinctIfNull;
}

function compileComparison(ctx: CompileContext, e: Comparison): TypedNode {
  let left = ctx.node(e.left);
  let right = ctx.node(e.right);
  left = pseudoTimestamp(ctx, e.left, e.right, right) ?? left;
  right = pseudoTimestamp(ctx, e.right, e.left, left) ?? right;
  checkComparison(ctx, e, e.operator, { e: e.left, node: left }, { e: e.right, node: right });
  const evaluate =
    left.type === null || right.type === null
      ? nullComparison(e.operator, left, right)
      : comparisonEvaluator(e.operator, left, right);
  return fold({ type: SqlTypes.BOOLEAN, evaluate }, [left, right]);
}

function compileBetween(ctx: CompileContext, e: Between): TypedNode {
  const value = ctx.node(e.value);
  const lower = pseudoTimestamp(ctx, e.lower, e.value, value) ?? ctx.node(e.lower);
  const upper = pseudoTimestamp(ctx, e.upper, e.value, value) ?? ctx.node(e.upper);
  checkComparison(ctx, e, '>=', { e: e.value, node: value }, { e: e.lower, node: lower });
  checkComparison(ctx, e, '<=', { e: e.value, node: value }, { e: e.upper, node: upper });
  const atLeast = comparisonEvaluator('>=', value, lower);
  const atMost = comparisonEvaluator('<=', value, upper);
  const negated = e.negated;
  // Comparisons are never null, so NOT BETWEEN with a null operand is true, as in ksqlDB.
  return {
    type: SqlTypes.BOOLEAN,
    evaluate: (row) => (atLeast(row) === true && atMost(row) === true) !== negated,
  };
}

function compileInList(ctx: CompileContext, e: InList): TypedNode {
  const items = [e.value, ...e.list.filter((x) => x.kind !== 'NullLiteral')].map((expression) => ({
    expression,
    node: ctx.node(expression),
  }));
  const { nodes } = coerceUserList(ctx, items);
  const [value, ...candidates] = nodes;
  const evaluate = value!.evaluate;
  const negated = e.negated;
  const constants = candidates.every((c) => c.constant !== undefined);
  const type = value!.type;
  if (constants && type !== null && isPrimitiveType(type) && type.kind !== 'BYTES') {
    const set = new Set(candidates.map((c) => c.constant!.value).filter((v) => v !== null));
    return {
      type: SqlTypes.BOOLEAN,
      evaluate: (row) => {
        const v = evaluate(row);
        return (v !== null && set.has(v)) !== negated;
      },
    };
  }
  const others = candidates.map((c) => c.evaluate);
  return {
    type: SqlTypes.BOOLEAN,
    evaluate: (row) => {
      const v = evaluate(row);
      let found = false;
      if (v !== null) {
        for (const other of others) {
          const candidate = other(row);
          if (candidate !== null && valuesEqual(v, candidate)) {
            found = true;
            break;
          }
        }
      }
      return found !== negated;
    },
  };
}

function compileLike(ctx: CompileContext, e: Like): TypedNode {
  const value = ctx.node(e.value);
  const pattern = ctx.node(e.pattern);
  for (const [x, node] of [
    [e.value, value],
    [e.pattern, pattern],
  ] as const) {
    if (node.type !== null && node.type.kind !== 'STRING') {
      ctx.fail(x, exprMessages.likeOperand(expressionText(x), formatType(node.type)));
    }
  }
  const constantPattern =
    pattern.constant === undefined ? undefined : (pattern.constant.value as string | null);
  try {
    return {
      type: SqlTypes.BOOLEAN,
      evaluate: likeEvaluator(value.evaluate, pattern.evaluate, constantPattern, e.escape, e.negated),
    };
  } catch (error) {
    return ctx.fail(e.pattern, (error as Error).message);
  }
}

function booleanOperand(ctx: CompileContext, operator: string, e: Expression): Evaluator {
  const node = ctx.node(e);
  if (node.type !== null && node.type.kind !== 'BOOLEAN') {
    ctx.fail(e, exprMessages.booleanOperand(operator, expressionText(e), formatType(node.type)));
  }
  return node.evaluate;
}

function compileNot(ctx: CompileContext, e: Not): TypedNode {
  const operand = booleanOperand(ctx, 'NOT', e.operand);
  return {
    type: SqlTypes.BOOLEAN,
    evaluate: (row) => {
      const v = operand(row);
      return v === null ? null : !v;
    },
  };
}

/** Three-valued AND / OR, evaluating the right side only when the left does not decide. */
function compileLogical(ctx: CompileContext, e: Logical): TypedNode {
  const left = booleanOperand(ctx, e.operator, e.left);
  const right = booleanOperand(ctx, e.operator, e.right);
  const decisive = e.operator === 'OR';
  return {
    type: SqlTypes.BOOLEAN,
    evaluate: (row) => {
      const l = left(row);
      if (l === decisive) return decisive;
      const r = right(row);
      if (r === decisive) return decisive;
      return l === null || r === null ? null : !decisive;
    },
  };
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
  if (!canCast(from, target)) return ctx.fail(e, castNotSupportedMessage(from, target));
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

function compileArray(ctx: CompileContext, e: CreateArray): TypedNode {
  if (e.elements.length === 0) return ctx.fail(e, exprMessages.emptyArray());
  const coerced = coerceUserList(
    ctx,
    e.elements.map((expression) => ({ expression, node: ctx.node(expression) })),
  );
  if (coerced.type === null) return ctx.fail(e, exprMessages.allNullArray());
  const elements = coerced.nodes.map((n, i) => ctx.orNull(n.evaluate, e.elements[i]!));
  const n = elements.length;
  return {
    type: { kind: 'ARRAY', element: coerced.type },
    evaluate: (row) => {
      const array: SqlValue[] = new Array(n);
      for (let i = 0; i < n; i++) array[i] = elements[i]!(row);
      return array;
    },
  };
}

function compileMap(ctx: CompileContext, e: CreateMap): TypedNode {
  if (e.entries.length === 0) return ctx.fail(e, exprMessages.emptyMap());
  const keys = coerceUserList(
    ctx,
    e.entries.map((x) => ({ expression: x.key, node: ctx.node(x.key) })),
  );
  if (keys.type === null) return ctx.fail(e, exprMessages.allNullMapKeys());
  const values = coerceUserList(
    ctx,
    e.entries.map((x) => ({ expression: x.value, node: ctx.node(x.value) })),
  );
  if (values.type === null) return ctx.fail(e, exprMessages.allNullMapValues());
  const keyEvaluators = keys.nodes.map((n, i) => ctx.orNull(n.evaluate, e.entries[i]!.key));
  const valueEvaluators = values.nodes.map((n, i) => ctx.orNull(n.evaluate, e.entries[i]!.value));
  const byValue = !isPrimitiveType(keys.type) || keys.type.kind === 'BYTES';
  return {
    type: { kind: 'MAP', key: keys.type, value: values.type },
    evaluate: (row) => {
      const map = new Map<SqlValue, SqlValue>();
      for (let i = 0; i < keyEvaluators.length; i++) {
        let key = keyEvaluators[i]!(row);
        // A later entry replaces an earlier one with an equal key, as Java's HashMap.put does.
        if (byValue && key !== null) {
          for (const existing of map.keys()) {
            if (valuesEqual(existing, key)) {
              key = existing;
              break;
            }
          }
        }
        map.set(key, valueEvaluators[i]!(row));
      }
      return map;
    },
  };
}

function compileStruct(ctx: CompileContext, e: CreateStruct): TypedNode {
  const fields = e.fields.map((f) => {
    const node = ctx.node(f.value);
    return { name: f.name, node: node, evaluate: ctx.orNull(node.evaluate, f.value) };
  });
  let type: SqlType;
  try {
    type = structType(
      fields.map((f) => ({
        name: f.name,
        type: typed(ctx, e, f.node, () => exprMessages.structFieldNull(f.name)),
      })),
    );
  } catch (error) {
    return ctx.fail(e, (error as Error).message);
  }
  return {
    type,
    evaluate: (row) => {
      const struct: Record<string, SqlValue> = Object.create(null);
      for (const field of fields) struct[field.name] = field.evaluate(row);
      return struct;
    },
  };
}
