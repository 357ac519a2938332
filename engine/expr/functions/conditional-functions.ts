/** ksqlDB's null-handling functions: COALESCE, IFNULL, NULLIF, and AS_VALUE. */
import { valuesEqual } from '../../catalog/value-compare.js';
import type { SqlValue } from '../../catalog/values.js';
import { type FunctionDefinition, scalar, sig } from './function-definition.js';

const CONDITIONAL = 'CONDITIONAL';

export const conditionalFunctions: readonly FunctionDefinition[] = [
  scalar('COALESCE', CONDITIONAL, 'The first non-null argument.', [
    sig('T first, T... others', 'T', (args) => (args.find((a) => a !== null) ?? null) as SqlValue),
  ]),
  scalar('IFNULL', CONDITIONAL, 'The expression, or the alternative when it is null.', [
    sig('T expression, T altValue', 'T', ([e, alt]) => (e ?? alt ?? null) as SqlValue),
  ]),
  scalar('NULLIF', CONDITIONAL, 'Null when both arguments are equal, else the first.', [
    sig('T expression1, T expression2', 'T', ([a, b]) =>
      a === null || a === undefined
        ? null
        : valuesEqual(a as SqlValue, (b ?? null) as SqlValue)
          ? null
          : (a as SqlValue),
    ),
  ]),
  scalar('AS_VALUE', 'OTHER', 'Copies a key column into the value.', [
    sig('T source', 'T', ([s]) => (s ?? null) as SqlValue),
  ]),
];
