/**
 * The names of ksqlDB's aggregate functions, so the analyzer can tell an aggregate call from a
 * scalar one (`isAggregate`) and SHOW FUNCTIONS lists them. Their implementations (initial
 * state, add, merge, undo, result type per signature) belong to the aggregate registry that
 * `engine/expr/aggregates/` will provide; this list is where that registry plugs in.
 */
export interface AggregateFunctionName {
  readonly name: string;
  readonly description: string;
}

export const AGGREGATE_FUNCTION_NAMES: readonly AggregateFunctionName[] = [
  { name: 'COUNT', description: 'Counts records, or non-null values of an expression.' },
  { name: 'COUNT_DISTINCT', description: 'Approximate count of distinct values.' },
  { name: 'SUM', description: 'Sums the values.' },
  { name: 'AVG', description: 'Average of the values.' },
  { name: 'MIN', description: 'The minimum value.' },
  { name: 'MAX', description: 'The maximum value.' },
  { name: 'COLLECT_LIST', description: 'Collects the values into an array.' },
  { name: 'COLLECT_SET', description: 'Collects the distinct values into an array.' },
  { name: 'EARLIEST_BY_OFFSET', description: 'The value of the record with the lowest offset.' },
  { name: 'LATEST_BY_OFFSET', description: 'The value of the record with the highest offset.' },
  { name: 'TOPK', description: 'The top K values, highest first.' },
  { name: 'TOPKDISTINCT', description: 'The top K distinct values, highest first.' },
  { name: 'HISTOGRAM', description: 'A map of each value to how often it occurs.' },
  { name: 'STDDEV_SAMP', description: 'Sample standard deviation.' },
  { name: 'STDDEV_SAMPLE', description: 'Sample standard deviation (older name).' },
  { name: 'STDDEV_POP', description: 'Population standard deviation.' },
  { name: 'CORRELATION', description: 'Pearson correlation of two columns.' },
  { name: 'ATTR', description: 'The value when all values in the group are equal, else null.' },
  { name: 'SUM_LIST', description: 'Sums the elements of each array.' },
];
