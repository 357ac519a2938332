/**
 * The aggregate functions as the analyzer and SHOW FUNCTIONS see them: a name and a
 * description. The built-in ones are the declarations in aggregate-functions.ts (which also
 * resolve, see aggregate-types.ts); a registry may also be given bare names, which are known
 * as aggregates but cannot be resolved.
 */
import { BUILTIN_AGGREGATES } from './aggregate-functions.js';

export interface AggregateFunctionName {
  readonly name: string;
  readonly description: string;
}

export const AGGREGATE_FUNCTION_NAMES: readonly AggregateFunctionName[] = BUILTIN_AGGREGATES;
