/**
 * How an aggregate function is declared: the same signature language as scalar functions
 * (`'T val, INT k'`, return patterns or rules), with an implementation that is a fold
 * (AggregateImplementation) bound to the resolved types of one call site.
 */
import type { SqlType } from '../../catalog/types.js';
import type { SqlValue } from '../../catalog/values.js';
import type { AggregateFunctionName } from './aggregate-function-names.js';
import type { AggregateImplementation, AggregateOptions } from './aggregate-types.js';
import { type CallInfo, type ReturnSpec, type Signature, signatureOf } from './function-definition.js';
import { FunctionResolutionError } from './function-types.js';

/** What an aggregate implementation sees of its call site. */
export interface AggregateCallInfo extends CallInfo {
  readonly options: AggregateOptions;
}

export type AggregateSignature = Signature<(call: AggregateCallInfo) => AggregateImplementation>;

export interface AggregateDefinition extends AggregateFunctionName {
  /** Upper case. */
  readonly name: string;
  readonly messageName: string;
  readonly signatures: readonly AggregateSignature[];
}

/** ksqlDB's resolution errors name an aggregate in upper case (`Function 'SUM' does not accept ...`). */
export function aggregate(
  name: string,
  description: string,
  signatures: readonly AggregateSignature[],
  messageName = name.toUpperCase(),
): AggregateDefinition {
  return { name: name.toUpperCase(), description, messageName, signatures };
}

/** One aggregate signature; `implement` binds the fold to the resolved call. */
export function aggSig(
  params: string,
  returns: ReturnSpec,
  implement: (call: AggregateCallInfo) => AggregateImplementation,
  description = '',
): AggregateSignature {
  return signatureOf(params, returns, () => implement, description);
}

/** The SQL type of argument `index` after conversion, which resolution always fixes. */
export function parameterType(call: CallInfo, index: number): SqlType {
  const type = call.parameterTypes[index] ?? call.argTypes[index];
  if (type === null || type === undefined) throw new Error(`aggregate argument ${index} has no type`);
  return type;
}

/** A constant INT argument such as TOPK's k; ksqlDB requires a literal there. */
export function constantInt(call: CallInfo, index: number, what: string): number {
  const arg = call.args[index];
  const value = arg?.kind === 'value' ? arg.constant : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new FunctionResolutionError(`The ${what} argument must be a literal integer.`);
  }
  return value;
}

/** A constant BOOLEAN argument such as ignoreNulls. */
export function constantBoolean(call: CallInfo, index: number, what: string): boolean {
  const arg = call.args[index];
  const value = arg?.kind === 'value' ? arg.constant : undefined;
  if (typeof value !== 'boolean') {
    throw new FunctionResolutionError(`The ${what} argument must be a literal boolean.`);
  }
  return value;
}

/** An accumulator of an array type, typed for reading. */
export function list(acc: SqlValue): readonly SqlValue[] {
  return (acc ?? []) as readonly SqlValue[];
}
