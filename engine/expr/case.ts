/**
 * Searched and simple CASE. Branches are evaluated lazily, in order (ksqlDB's tests check that a
 * branch not taken never runs). The result type is the common super type of the THEN and ELSE
 * branches (NULL branches take it); where branches have none, the error is ksqlDB's.
 * A WHEN whose condition is NULL is not taken. A simple CASE compares with `=`, so a NULL
 * operand matches no WHEN.
 */
import type { Expression, SearchedCase, SimpleCase } from '../../parser/ast.js';
import { commonSuperType, isValidComparison } from '../catalog/type-rules.js';
import { formatType, type SqlType, typesEqual } from '../catalog/types.js';
import { coerceValue } from '../catalog/value-coerce.js';
import { comparisonEvaluator } from './comparison.js';
import type { CompileContext, Evaluator, TypedNode } from './compile-context.js';
import { expressionText, whenText } from './expression-text.js';
import { exprMessages } from './messages.js';

export function compileCase(ctx: CompileContext, e: SearchedCase | SimpleCase): TypedNode {
  const conditions = e.kind === 'SearchedCase' ? searchedConditions(ctx, e) : simpleConditions(ctx, e);
  const results = e.whens.map((w) => ctx.node(w.result));
  const otherwise = e.else === undefined ? undefined : ctx.node(e.else);

  let type: SqlType | null = null;
  e.whens.forEach((w, i) => {
    const t = results[i]!.type;
    if (t === null) return;
    if (type === null) {
      type = t;
      return;
    }
    const common = commonSuperType(type, t);
    if (common === undefined) {
      ctx.fail(
        w.result,
        exprMessages.caseThenTypes(whenText(w.condition, w.result), formatType(t), formatType(type)),
      );
    }
    type = common;
  });
  if (otherwise?.type != null) {
    if (type === null) {
      type = otherwise.type;
    } else {
      const common = commonSuperType(type, otherwise.type);
      if (common === undefined) {
        ctx.fail(e.else!, exprMessages.caseDefaultType(formatType(type), formatType(otherwise.type)));
      }
      type = common;
    }
  }
  if (type === null) return ctx.fail(e, exprMessages.caseAllNull());
  const resultType: SqlType = type;

  const thens = results.map((r) => widened(r, resultType));
  const elseValue: Evaluator = otherwise === undefined ? () => null : widened(otherwise, resultType);
  const n = conditions.length;
  return {
    type: resultType,
    evaluate: (row) => {
      for (let i = 0; i < n; i++) {
        if (conditions[i]!(row) === true) return thens[i]!(row);
      }
      return elseValue(row);
    },
  };
}

function widened(node: TypedNode, type: SqlType): Evaluator {
  const from = node.type;
  const evaluate = node.evaluate;
  if (from === null || typesEqual(from, type)) return evaluate;
  return (row) => coerceValue(evaluate(row), from, type);
}

function searchedConditions(ctx: CompileContext, e: SearchedCase): Evaluator[] {
  return e.whens.map((w) => {
    const condition = ctx.node(w.condition);
    if (condition.type === null || condition.type.kind !== 'BOOLEAN') {
      ctx.fail(
        w.condition,
        exprMessages.whenNotBoolean(
          expressionText(w.condition),
          condition.type === null ? 'null' : formatType(condition.type),
        ),
      );
    }
    return condition.evaluate;
  });
}

function simpleConditions(ctx: CompileContext, e: SimpleCase): Evaluator[] {
  const operand = ctx.node(e.operand);
  return e.whens.map((w) => {
    const value = ctx.node(w.condition);
    checkEquality(ctx, w.condition, e.operand, operand, w.condition, value);
    return comparisonEvaluator('=', operand, value);
  });
}

function checkEquality(
  ctx: CompileContext,
  at: Expression,
  leftExpression: Expression,
  left: TypedNode,
  rightExpression: Expression,
  right: TypedNode,
): void {
  if (left.type === null || right.type === null) {
    const name = (t: SqlType | null) => (t === null ? 'NULL' : t.kind);
    ctx.fail(at, exprMessages.comparisonWithNull(name(left.type), '=', name(right.type)));
  }
  if (!isValidComparison(left.type, 'EQUAL', right.type)) {
    ctx.fail(
      at,
      exprMessages.cannotCompare(
        expressionText(leftExpression),
        formatType(left.type),
        expressionText(rightExpression),
        formatType(right.type),
        'EQUAL',
      ),
    );
  }
}
