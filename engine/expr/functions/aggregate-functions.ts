/** Every built-in aggregate function, one family per file. */
import type { AggregateDefinition } from './aggregate-definition.js';
import { collectionAggregates } from './collection-aggregates.js';
import { minMaxAggregates } from './min-max-aggregates.js';
import { offsetAggregates } from './offset-aggregates.js';
import { statisticsAggregates } from './statistics-aggregates.js';
import { sumAggregates } from './sum-aggregates.js';
import { topkAggregates } from './topk-aggregates.js';

export const BUILTIN_AGGREGATES: readonly AggregateDefinition[] = [
  ...sumAggregates,
  ...minMaxAggregates,
  ...collectionAggregates,
  ...offsetAggregates,
  ...topkAggregates,
  ...statisticsAggregates,
];
