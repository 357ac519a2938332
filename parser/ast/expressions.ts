/**
 * Expressions. Every node is a frozen plain object tagged by `kind`; `location` is where the
 * expression starts in the parsed text (absent on nodes built by code rather than parsed).
 *
 * Numeric literals keep ksqlDB's typing by form: an integer that fits 32 bits is an
 * `IntegerLiteral`, a larger one a `BigIntLiteral`, a number with a point a `DecimalLiteral`
 * whose `value` is the exact text (so `1.50` is DECIMAL(3,2)), and one with an exponent a
 * `DoubleLiteral`. A minus sign written directly before a number belongs to the literal.
 */
import type { SourceLocation } from './location.js';
import type { SqlType } from './types.js';

interface Located {
  readonly location?: SourceLocation;
}

export interface NullLiteral extends Located {
  readonly kind: 'NullLiteral';
}
export interface BooleanLiteral extends Located {
  readonly kind: 'BooleanLiteral';
  readonly value: boolean;
}
export interface StringLiteral extends Located {
  readonly kind: 'StringLiteral';
  /** The value with quotes removed and `''` unescaped. */
  readonly value: string;
}
export interface IntegerLiteral extends Located {
  readonly kind: 'IntegerLiteral';
  readonly value: number;
}
export interface BigIntLiteral extends Located {
  readonly kind: 'BigIntLiteral';
  readonly value: bigint;
}
export interface DecimalLiteral extends Located {
  readonly kind: 'DecimalLiteral';
  /** The exact digits as written, with a leading `-` when negative: `1.50`, `-0.5`, `.5`. */
  readonly value: string;
  readonly precision: number;
  readonly scale: number;
}
export interface DoubleLiteral extends Located {
  readonly kind: 'DoubleLiteral';
  readonly value: number;
  /** The literal as written (`1.5E10`), for messages and formatting. */
  readonly text: string;
}
/**
 * An unsubstituted `${name}` where a literal goes. Statements are parsed before the variables
 * of earlier DEFINE statements are known; the engine substitutes and parses again.
 */
export interface VariableReference extends Located {
  readonly kind: 'VariableReference';
  readonly name: string;
}

export type Literal =
  | NullLiteral
  | BooleanLiteral
  | StringLiteral
  | IntegerLiteral
  | BigIntLiteral
  | DecimalLiteral
  | DoubleLiteral
  | VariableReference;

/** A column, optionally qualified by a source name or alias (`o.id`). */
export interface ColumnRef extends Located {
  readonly kind: 'ColumnRef';
  readonly source?: string;
  readonly name: string;
}
/** A reference to a parameter of an enclosing lambda. */
export interface LambdaVariable extends Located {
  readonly kind: 'LambdaVariable';
  readonly name: string;
}
/** `base->field` on a STRUCT. */
export interface Dereference extends Located {
  readonly kind: 'Dereference';
  readonly base: Expression;
  readonly field: string;
}
/** `base[index]`: 1-based ARRAY index (negative from the end) or MAP key. */
export interface Subscript extends Located {
  readonly kind: 'Subscript';
  readonly base: Expression;
  readonly index: Expression;
}
/** A time unit passed as a function argument (`TIMESTAMPADD(SECONDS, 5, ts)`). */
export interface IntervalUnit extends Located {
  readonly kind: 'IntervalUnit';
  readonly unit: TimeUnit;
}
export interface FunctionCall extends Located {
  readonly kind: 'FunctionCall';
  /** Upper-cased unless quoted. `a || b` is `CONCAT(a, b)`, as in ksqlDB. */
  readonly name: string;
  readonly args: readonly Expression[];
  /** `COUNT(*)`. */
  readonly star: boolean;
  /** `COUNT(DISTINCT x)`; ksqlDB itself rejects it, the analyzer decides. */
  readonly distinct: boolean;
}
export interface Lambda extends Located {
  readonly kind: 'Lambda';
  readonly params: readonly string[];
  readonly body: Expression;
}
export interface ArithmeticUnary extends Located {
  readonly kind: 'ArithmeticUnary';
  readonly operator: '-' | '+';
  readonly operand: Expression;
}
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export interface ArithmeticBinary extends Located {
  readonly kind: 'ArithmeticBinary';
  readonly operator: ArithmeticOperator;
  readonly left: Expression;
  readonly right: Expression;
}
export type ComparisonOperator =
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IS DISTINCT FROM'
  | 'IS NOT DISTINCT FROM';
export interface Comparison extends Located {
  readonly kind: 'Comparison';
  readonly operator: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
}
export interface Between extends Located {
  readonly kind: 'Between';
  readonly value: Expression;
  readonly lower: Expression;
  readonly upper: Expression;
  readonly negated: boolean;
}
export interface InList extends Located {
  readonly kind: 'InList';
  readonly value: Expression;
  readonly list: readonly Expression[];
  readonly negated: boolean;
}
export interface Like extends Located {
  readonly kind: 'Like';
  readonly value: Expression;
  readonly pattern: Expression;
  /** The single escape character of `ESCAPE '!'`. */
  readonly escape?: string;
  readonly negated: boolean;
}
export interface IsNull extends Located {
  readonly kind: 'IsNull';
  readonly value: Expression;
  readonly negated: boolean;
}
export interface Not extends Located {
  readonly kind: 'Not';
  readonly operand: Expression;
}
export interface Logical extends Located {
  readonly kind: 'Logical';
  readonly operator: 'AND' | 'OR';
  readonly left: Expression;
  readonly right: Expression;
}
export interface WhenClause {
  readonly condition: Expression;
  readonly result: Expression;
}
/** `CASE WHEN cond THEN x ... [ELSE y] END`. */
export interface SearchedCase extends Located {
  readonly kind: 'SearchedCase';
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
}
/** `CASE operand WHEN value THEN x ... [ELSE y] END`. */
export interface SimpleCase extends Located {
  readonly kind: 'SimpleCase';
  readonly operand: Expression;
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
}
export interface Cast extends Located {
  readonly kind: 'Cast';
  readonly operand: Expression;
  readonly type: SqlType;
}
export interface CreateArray extends Located {
  readonly kind: 'CreateArray';
  readonly elements: readonly Expression[];
}
export interface MapEntry {
  readonly key: Expression;
  readonly value: Expression;
}
export interface CreateMap extends Located {
  readonly kind: 'CreateMap';
  readonly entries: readonly MapEntry[];
}
export interface StructFieldValue {
  readonly name: string;
  readonly value: Expression;
}
export interface CreateStruct extends Located {
  readonly kind: 'CreateStruct';
  readonly fields: readonly StructFieldValue[];
}

export type Expression =
  | Literal
  | ColumnRef
  | LambdaVariable
  | Dereference
  | Subscript
  | IntervalUnit
  | FunctionCall
  | Lambda
  | ArithmeticUnary
  | ArithmeticBinary
  | Comparison
  | Between
  | InList
  | Like
  | IsNull
  | Not
  | Logical
  | SearchedCase
  | SimpleCase
  | Cast
  | CreateArray
  | CreateMap
  | CreateStruct;

export type ExpressionKind = Expression['kind'];

/** Time units, normalised to ksqlDB's (java.util.concurrent.TimeUnit) plural names. */
export type TimeUnit = 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';

/** `n unit`, as in `SIZE 30 SECONDS` or `GRACE PERIOD 1 MINUTE`. */
export interface Duration {
  readonly value: number;
  readonly unit: TimeUnit;
}
