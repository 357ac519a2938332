/** The messages of pull queries, worded as ksqlDB words them (its REST tests assert them). */
const moreInfo = 'See https://cnfl.io/queries for more info.';
const pushHint = 'Add EMIT CHANGES if you intended to issue a push query.';

export const pullMessages = {
  unsupportedClause: (clause: 'JOIN' | 'WINDOW' | 'GROUP BY' | 'HAVING' | 'PARTITION BY') =>
    `Pull queries don't support ${clause} clauses. ${moreInfo}\n${pushHint}`,
  notQueryable: (name: string) =>
    `The \`${name}\` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_${name} AS SELECT * FROM ${name}'. ${moreInfo}`,
  disallowedColumns: (clause: 'SELECT' | 'WHERE', names: readonly string[]) =>
    `Pull queries don't support the following columns in ${clause} clauses: ${names.map((n) => `\`${n}\``).join(', ')}`,
  limitDisabled: () =>
    `LIMIT clause in pull queries is currently disabled. You can enable them by setting ksql.query.pull.limit.clause.enabled=true. ${moreInfo}\n${pushHint}`,
  streamPullDisabled: () =>
    `Pull queries on streams are disabled. To create a push query on the stream, add EMIT CHANGES to the end. To enable pull queries on streams, set the ksql.query.pull.stream.enabled config to 'true'.`,
  tableScanDisabled: () =>
    'Query requires table scan to be enabled. Timestamp filters and key ranges are only supported by table scans, which can be enabled with ksql.query.pull.table.scan.enabled=true',
  missingKeyInDisjunct: (disjunct: string) => `WHERE clause missing key column for disjunct: ${disjunct}`,
  multiColumnKeys: () => 'Multi-column sources must specify every key in the WHERE clause.',
  keyBoundNotEquals: (key: string) => `Bound on key columns '[${key}]' must currently be '='. `,
  keyNotDirect: () => 'A comparison must directly reference a key column.',
  keyNotResolvable: () => 'A comparison must be between a key column and a resolvable expression.',
  keyCombined: () =>
    'A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate',
  nullKey: (comparison: string) => `Primary key columns can not be NULL: ${comparison}`,
  keyConversion: (value: string, key: string) =>
    `'${value}' can not be converted to the type of the key column: ${key}`,
  windowBoundsNotWindowed: (name: string) => `WHERE column '${name}' cannot be resolved`,
  sqlDisabled: () =>
    'This query needs DuckDB SQL over the materialized tables; enable it with sluice.query.pull.sql.enabled=true.',
};

export const PullConfigKeys = Object.freeze({
  TABLE_SCAN_ENABLED: 'ksql.query.pull.table.scan.enabled',
  RANGE_SCAN_ENABLED: 'ksql.query.pull.range.scan.enabled',
  STREAM_ENABLED: 'ksql.query.pull.stream.enabled',
  LIMIT_ENABLED: 'ksql.query.pull.limit.clause.enabled',
  SQL_ENABLED: 'sluice.query.pull.sql.enabled',
});
