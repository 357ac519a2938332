/**
 * Arithmetic as ksqlDB's generated Java computes it, one closure per operator and result type:
 *
 * - INTEGER and BIGINT wrap on overflow like Java's int and long; `/` truncates toward zero;
 *   `/` and `%` by zero fail (Java's ArithmeticException), which ksqlDB logs and turns into null.
 * - DOUBLE is IEEE-754 like Java's double (`1.0 / 0` is Infinity).
 * - DECIMAL is exact: the result must fit the result type's precision and scale without
 *   rounding (ksqlDB's MathContext(precision, UNNECESSARY) and setScale), else "Rounding
 *   necessary"; so `3.4 / 2.0` is 1.700000 but `1.0 / 3.0` fails.
 * - STRING + STRING concatenates.
 *
 * A NULL operand fails the evaluation, as the NullPointerException in ksqlDB's generated code
 * does: the failure travels up to the nearest point that turns failures into null (the whole
 * expression, a nested call argument, a CAST, a constructor element), so `TRANSFORM(a, x =>
 * x + 5)` over `[5, NULL]` is NULL, not `[10, NULL]` (ksqlDB's transform-array.json). STRING
 * + STRING with a NULL side is NULL (ksqlDB's generated Java would print "null" into it).
 */
import type { ArithmeticOperator } from '../../parser/ast.js';
import type { DecimalType, SqlType } from '../catalog/types.js';
import { Decimal, type SqlValue, ValueError } from '../catalog/values.js';
import type { Evaluator, TypedNode } from './compile-context.js';
import { exprMessages } from './messages.js';

type Binary<T> = (a: T, b: T) => SqlValue;

function nullPropagating<T>(left: Evaluator, right: Evaluator, op: Binary<T>): Evaluator {
  return (row) => {
    const a = left(row);
    const b = right(row);
    return a === null || b === null ? null : op(a as T, b as T);
  };
}

function nullFailing<T>(operator: string, left: Evaluator, right: Evaluator, op: Binary<T>): Evaluator {
  return (row) => {
    const a = left(row);
    const b = right(row);
    if (a === null || b === null) throw nullOperand(operator);
    return op(a as T, b as T);
  };
}

function nullOperand(operator: string): ValueError {
  return new ValueError(exprMessages.nullOperand(operator));
}

export function asBigint(node: TypedNode): Evaluator {
  const evaluate = node.evaluate;
  if (node.type?.kind !== 'INTEGER') return evaluate;
  return (row) => {
    const v = evaluate(row);
    return v === null ? null : BigInt(v as number);
  };
}

export function asDouble(node: TypedNode): Evaluator {
  const evaluate = node.evaluate;
  switch (node.type?.kind) {
    case 'BIGINT':
      return (row) => {
        const v = evaluate(row);
        return v === null ? null : Number(v as bigint);
      };
    case 'DECIMAL':
      return (row) => {
        const v = evaluate(row);
        return v === null ? null : (v as Decimal).toNumber();
      };
    default:
      return evaluate;
  }
}

export function asDecimal(node: TypedNode): Evaluator {
  const evaluate = node.evaluate;
  if (node.type?.kind === 'DECIMAL') return evaluate;
  return (row) => {
    const v = evaluate(row);
    // decimal.js reads an int32 number exactly; a bigint goes through its text.
    return v === null ? null : new Decimal(typeof v === 'number' ? v : String(v));
  };
}

function divisionByZero(): ValueError {
  return new ValueError(exprMessages.divisionByZero());
}

const INTEGER_OPS: Readonly<Record<ArithmeticOperator, Binary<number>>> = {
  '+': (a, b) => (a + b) | 0,
  '-': (a, b) => (a - b) | 0,
  '*': (a, b) => Math.imul(a, b),
  '/': (a, b) => {
    if (b === 0) throw divisionByZero();
    return (a / b) | 0;
  },
  // `| 0` turns JavaScript's -0 (from -4 % 2) into Java's 0.
  '%': (a, b) => {
    if (b === 0) throw divisionByZero();
    return (a % b) | 0;
  },
};

const BIGINT_OPS: Readonly<Record<ArithmeticOperator, Binary<bigint>>> = {
  '+': (a, b) => BigInt.asIntN(64, a + b),
  '-': (a, b) => BigInt.asIntN(64, a - b),
  '*': (a, b) => BigInt.asIntN(64, a * b),
  '/': (a, b) => {
    if (b === 0n) throw divisionByZero();
    return BigInt.asIntN(64, a / b);
  },
  '%': (a, b) => {
    if (b === 0n) throw divisionByZero();
    return a % b;
  },
};

const DOUBLE_OPS: Readonly<Record<ArithmeticOperator, Binary<number>>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

function roundingNecessary(): ValueError {
  return new ValueError(exprMessages.roundingNecessary());
}

function decimalDivisor(b: Decimal, a: Decimal): void {
  if (b.isZero()) {
    throw new ValueError(
      a.isZero() ? exprMessages.decimalDivisionUndefined() : exprMessages.decimalDivisionByZero(),
    );
  }
}

/** The exact result, checked against the result type as ksqlDB's MathContext/setScale do. */
function exactDecimal(value: Decimal, type: DecimalType): Decimal {
  if (value.sd() > type.precision || value.decimalPlaces() > type.scale) throw roundingNecessary();
  return value;
}

function decimalOps(type: DecimalType): Readonly<Record<ArithmeticOperator, Binary<Decimal>>> {
  return {
    '+': (a, b) => exactDecimal(a.plus(b), type),
    '-': (a, b) => exactDecimal(a.minus(b), type),
    '*': (a, b) => exactDecimal(a.times(b), type),
    '/': (a, b) => {
      decimalDivisor(b, a);
      const quotient = a.div(b);
      // A quotient that does not terminate cannot be exact at any precision.
      if (!quotient.times(b).eq(a)) throw roundingNecessary();
      return exactDecimal(quotient, type);
    },
    '%': (a, b) => {
      decimalDivisor(b, a);
      return exactDecimal(a.mod(b), type);
    },
  };
}

/** `left op right` for operand types whose result type is `resultType` (type-rules.ts). */
export function arithmeticEvaluator(
  operator: ArithmeticOperator,
  left: TypedNode,
  right: TypedNode,
  resultType: SqlType,
): Evaluator {
  switch (resultType.kind) {
    case 'INTEGER':
      return nullFailing(operator, left.evaluate, right.evaluate, INTEGER_OPS[operator]);
    case 'BIGINT':
      return nullFailing(operator, asBigint(left), asBigint(right), BIGINT_OPS[operator]);
    case 'DOUBLE':
      return nullFailing(operator, asDouble(left), asDouble(right), DOUBLE_OPS[operator]);
    case 'DECIMAL':
      return nullFailing(operator, asDecimal(left), asDecimal(right), decimalOps(resultType)[operator]);
    case 'STRING':
      return nullPropagating<string>(left.evaluate, right.evaluate, (a, b) => a + b);
    default:
      throw new Error(`No arithmetic for result type ${resultType.kind}`);
  }
}

/** `-x` keeps x's type; INTEGER and BIGINT wrap like Java (-MIN_VALUE is MIN_VALUE); NULL fails. */
export function negationEvaluator(operand: TypedNode): Evaluator {
  const inner = operand.evaluate;
  const evaluate: Evaluator = (row) => {
    const v = inner(row);
    if (v === null) throw nullOperand('-');
    return v;
  };
  switch (operand.type?.kind) {
    case 'INTEGER':
      return (row) => -(evaluate(row) as number) | 0;
    case 'BIGINT':
      return (row) => BigInt.asIntN(64, -(evaluate(row) as bigint));
    case 'DECIMAL':
      return (row) => (evaluate(row) as Decimal).negated();
    default:
      return (row) => -(evaluate(row) as number);
  }
}
