/**
 * The contract between the function library and the expression compiler.
 *
 * The compiler types every argument first, then asks the registry to resolve a call. A lambda
 * argument cannot be typed on its own (its parameter types come from the other arguments), so
 * the resolver types it by calling back into the compiler with the parameter types it chose.
 * Resolution happens once per call site when a query is compiled; `invoke` runs per record.
 */
import type { SqlType } from '../../catalog/types.js';
import type { SqlValue } from '../../catalog/values.js';

export type FunctionKind = 'SCALAR' | 'AGGREGATE' | 'TABLE';

/** What the compiler knows about one argument of a call before resolution. */
export type ArgumentInfo =
  | {
      readonly kind: 'value';
      /** null for an untyped NULL literal, which matches any parameter type. */
      readonly type: SqlType | null;
      /** The value when the argument is a literal (some functions check constant arguments). */
      readonly constant?: SqlValue;
    }
  | {
      readonly kind: 'lambda';
      readonly arity: number;
      /** Types the lambda body with these parameter types; throws a SqlError-like error when it does not type. */
      readonly typeBody: (paramTypes: readonly SqlType[]) => SqlType;
    }
  | {
      /** A time unit keyword argument, e.g. `TIMESTAMPADD(SECONDS, 5, ts)`. */
      readonly kind: 'unit';
      readonly unit: 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';
    };

/** A compiled lambda, as the function implementation receives it. */
export type LambdaValue = (...params: SqlValue[]) => SqlValue;

/** An argument at run time: a value, a compiled lambda, or a time unit name. */
export type RuntimeArgument = SqlValue | LambdaValue;

export interface ResolvedScalarCall {
  readonly returnType: SqlType;
  /**
   * The type each value argument must be converted to before `invoke` (implicit widening,
   * e.g. INTEGER to BIGINT or DECIMAL); the compiler inserts the conversions. For lambda and
   * unit arguments the entry is null.
   */
  readonly parameterTypes: readonly (SqlType | null)[];
  /** Runs the function. Null handling is the function's own (most return null for a null input). */
  readonly invoke: (args: readonly RuntimeArgument[]) => SqlValue;
}

export interface ResolvedTableCall {
  /** The type of each row the function produces (one output column). */
  readonly returnType: SqlType;
  readonly parameterTypes: readonly (SqlType | null)[];
  /** The rows for one input; an empty array produces no row. */
  readonly invoke: (args: readonly RuntimeArgument[]) => readonly SqlValue[];
}

/** One line of DESCRIBE FUNCTION: `ARRAY_LENGTH(input ARRAY<T>) => INT`. */
export interface FunctionSignatureInfo {
  readonly arguments: readonly {
    readonly name: string;
    readonly type: string;
    readonly description?: string;
  }[];
  readonly returnType: string;
  readonly description: string;
  readonly variadic: boolean;
}

/** What SHOW FUNCTIONS and DESCRIBE FUNCTION print. */
export interface FunctionInfo {
  readonly name: string;
  readonly kind: FunctionKind;
  /** ksqlDB's categories: STRING, MATHEMATICAL, DATE / TIME, JSON, ARRAY, MAP, ... */
  readonly category: string;
  readonly description: string;
  readonly signatures: readonly FunctionSignatureInfo[];
}

/** A user's mistake in a call: unknown function, no matching signature, bad constant argument. */
export class FunctionResolutionError extends Error {
  override readonly name = 'FunctionResolutionError';
}

export interface FunctionRegistry {
  isScalar(name: string): boolean;
  isAggregate(name: string): boolean;
  isTable(name: string): boolean;
  /** Throws FunctionResolutionError with ksqlDB's message when nothing matches. */
  resolveScalar(name: string, args: readonly ArgumentInfo[]): ResolvedScalarCall;
  resolveTable(name: string, args: readonly ArgumentInfo[]): ResolvedTableCall;
  list(): readonly FunctionInfo[];
  describe(name: string): FunctionInfo | undefined;
}
