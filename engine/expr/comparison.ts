/**
 * Comparisons as ksqlDB evaluates them: two-valued (a NULL operand makes `=`, `<>`, `<`, ...
 * false, never NULL; IS [NOT] DISTINCT FROM treats two NULLs as equal), numbers compared
 * across INTEGER/BIGINT/DOUBLE/DECIMAL by value, strings by UTF-16 code unit, DATE/TIME/
 * TIMESTAMP with each other (a DATE is its midnight) or with a STRING parsed as ISO-8601,
 * and ARRAY/MAP/STRUCT for (in)equality only, by value.
 *
 * The operand conversions are chosen once here; per record a comparison is two evaluations,
 * a null check and one relation.
 */
import type { ComparisonOperator } from '../../parser/ast.js';
import { commonSuperType } from '../catalog/type-rules.js';
import { isNumericType, type SqlType } from '../catalog/types.js';
import { coerceValue } from '../catalog/value-coerce.js';
import { compareValues, valuesEqual } from '../catalog/value-compare.js';
import { parseDateText, parseTimestampText, parseTimeText } from '../catalog/value-text.js';
import { MILLIS_PER_DAY, type SqlValue } from '../catalog/values.js';
import { asDouble } from './arithmetic.js';
import type { Evaluator, TypedNode } from './compile-context.js';

type Relation = (a: SqlValue, b: SqlValue) => boolean;

/** ksqlDB's names of the operators, as its messages print them. */
export const COMPARISON_NAMES: Readonly<Record<ComparisonOperator, string>> = {
  '=': 'EQUAL',
  '<>': 'NOT_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
  'IS DISTINCT FROM': 'IS_DISTINCT_FROM',
  'IS NOT DISTINCT FROM': 'IS_NOT_DISTINCT_FROM',
};

// JavaScript's relational operators compare numbers, bigints (also with each other, exactly)
// and strings (by UTF-16 code unit) the way Java does; EQUAL is `<= && >=` so that NaN equals
// nothing, as in ksqlDB's generated code.
const NATIVE: Readonly<Record<ComparisonOperator, Relation>> = {
  '=': (a, b) => (a as number) <= (b as number) && (a as number) >= (b as number),
  '<>': (a, b) => (a as number) < (b as number) || (a as number) > (b as number),
  '<': (a, b) => (a as number) < (b as number),
  '<=': (a, b) => (a as number) <= (b as number),
  '>': (a, b) => (a as number) > (b as number),
  '>=': (a, b) => (a as number) >= (b as number),
  'IS DISTINCT FROM': (a, b) => (a as number) < (b as number) || (a as number) > (b as number),
  'IS NOT DISTINCT FROM': (a, b) => (a as number) <= (b as number) && (a as number) >= (b as number),
};

function byOrder(operator: ComparisonOperator): Relation {
  switch (operator) {
    case '=':
    case 'IS NOT DISTINCT FROM':
      return (a, b) => compareValues(a, b) === 0;
    case '<>':
    case 'IS DISTINCT FROM':
      return (a, b) => compareValues(a, b) !== 0;
    case '<':
      return (a, b) => compareValues(a, b) < 0;
    case '<=':
      return (a, b) => compareValues(a, b) <= 0;
    case '>':
      return (a, b) => compareValues(a, b) > 0;
    case '>=':
      return (a, b) => compareValues(a, b) >= 0;
  }
}

function byEquality(operator: ComparisonOperator): Relation {
  return operator === '=' || operator === 'IS NOT DISTINCT FROM'
    ? (a, b) => valuesEqual(a, b)
    : (a, b) => !valuesEqual(a, b);
}

function mapped(evaluate: Evaluator, convert: (v: SqlValue) => SqlValue): Evaluator {
  return (row) => {
    const v = evaluate(row);
    return v === null ? null : convert(v);
  };
}

/**
 * A time-typed or STRING operand as the common representation of a time comparison: millis
 * of the day for TIME, days for DATE, epoch millis for TIMESTAMP. A constant string is
 * parsed once.
 */
function asTime(node: TypedNode, target: 'TIME' | 'DATE' | 'TIMESTAMP'): Evaluator {
  const kind = node.type?.kind;
  if (kind === 'STRING') {
    const parse = target === 'TIME' ? parseTimeText : target === 'DATE' ? parseDateText : parseTimestampText;
    if (node.constant !== undefined && node.constant.value !== null) {
      const value = parse(node.constant.value as string);
      return () => value;
    }
    return mapped(node.evaluate, (v) => parse(v as string));
  }
  if (kind === 'DATE' && target === 'TIMESTAMP')
    return mapped(node.evaluate, (v) => (v as number) * MILLIS_PER_DAY);
  return node.evaluate;
}

function timeTarget(left: SqlType, right: SqlType): 'TIME' | 'DATE' | 'TIMESTAMP' {
  if (left.kind === 'TIME' || right.kind === 'TIME') return 'TIME';
  if (left.kind === 'TIMESTAMP' || right.kind === 'TIMESTAMP') return 'TIMESTAMP';
  return 'DATE';
}

function isTime(type: SqlType): boolean {
  return type.kind === 'DATE' || type.kind === 'TIME' || type.kind === 'TIMESTAMP';
}

/**
 * `left operator right` for two typed operands that type-rules.ts `isValidComparison`
 * accepts.
 */
export function comparisonEvaluator(
  operator: ComparisonOperator,
  left: TypedNode,
  right: TypedNode,
): Evaluator {
  const leftType = left.type!;
  const rightType = right.type!;
  let l = left.evaluate;
  let r = right.evaluate;
  let relation: Relation;
  if (leftType.kind === 'DECIMAL' || rightType.kind === 'DECIMAL') {
    relation = byOrder(operator);
  } else if (isNumericType(leftType) && isNumericType(rightType)) {
    if (leftType.kind === 'DOUBLE' || rightType.kind === 'DOUBLE') {
      l = asDouble(left);
      r = asDouble(right);
    }
    relation = NATIVE[operator];
  } else if (isTime(leftType) || isTime(rightType)) {
    const target = timeTarget(leftType, rightType);
    l = asTime(left, target);
    r = asTime(right, target);
    relation = NATIVE[operator];
  } else if (leftType.kind === 'BYTES') {
    relation = byOrder(operator);
  } else if (leftType.kind === 'ARRAY' || leftType.kind === 'MAP' || leftType.kind === 'STRUCT') {
    const common = commonSuperType(leftType, rightType) ?? leftType;
    l = mapped(left.evaluate, (v) => coerceValue(v, leftType, common));
    r = mapped(right.evaluate, (v) => coerceValue(v, rightType, common));
    relation = byEquality(operator);
  } else {
    relation = NATIVE[operator];
  }
  return withNulls(operator, l, r, relation);
}

function withNulls(operator: ComparisonOperator, l: Evaluator, r: Evaluator, relation: Relation): Evaluator {
  switch (operator) {
    case 'IS DISTINCT FROM':
      return (row) => {
        const a = l(row);
        const b = r(row);
        return a === null || b === null ? (a === null) !== (b === null) : relation(a, b);
      };
    case 'IS NOT DISTINCT FROM':
      return (row) => {
        const a = l(row);
        const b = r(row);
        return a === null || b === null ? a === b : relation(a, b);
      };
    default:
      return (row) => {
        const a = l(row);
        const b = r(row);
        return a === null || b === null ? false : relation(a, b);
      };
  }
}
