/**
 * Predicates: comparisons (with ksqlDB's ROWTIME-as-timestamp-text rule), BETWEEN, IN, LIKE and
 * the three-valued NOT / AND / OR.
 */
import type { Between, Comparison, Expression, InList, Like, Logical, Not } from '../../parser/ast.js';
import { isValidComparison } from '../catalog/type-rules.js';
import { formatType, isPrimitiveType, type SqlType, SqlTypes } from '../catalog/types.js';
import { valuesEqual } from '../catalog/value-compare.js';
import { parseTimestampText } from '../catalog/value-text.js';
import { COMPARISON_NAMES, comparisonEvaluator } from './comparison.js';
import {
  type CompileContext,
  constantNode,
  type Evaluator,
  fold,
  type TypedNode,
} from './compile-context.js';
import { expressionText } from './expression-text.js';
import { likeEvaluator } from './like.js';
import { exprMessages } from './messages.js';
import { coerceUserList } from './user-list.js';

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

export function compileComparison(ctx: CompileContext, e: Comparison): TypedNode {
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

export function compileBetween(ctx: CompileContext, e: Between): TypedNode {
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

export function compileInList(ctx: CompileContext, e: InList): TypedNode {
  const items = [e.value, ...e.list.filter((x) => x.kind !== 'NullLiteral')].map((expression) => ({
    expression,
    node: ctx.node(expression),
  }));
  const { nodes } = coerceUserList(ctx, items, 'code-generation');
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

export function compileLike(ctx: CompileContext, e: Like): TypedNode {
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

export function compileNot(ctx: CompileContext, e: Not): TypedNode {
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
export function compileLogical(ctx: CompileContext, e: Logical): TypedNode {
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
