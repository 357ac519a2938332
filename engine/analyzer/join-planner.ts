/**
 * Plans queries whose FROM is a join: which sources meet how (stream-stream within a window,
 * stream-table, table-table on the primary key or on a foreign key), the key of the result,
 * and the projection, with ksqlDB's rules and messages.
 *
 * Joins run left to right: join i combines the result of sources 0..i with source i + 1.
 * The result's key is the join key: the join columns are its viable names (any of them may
 * stand for the key in the projection); a FULL join, or one on expressions only, gets a
 * synthetic key column ROWKEY instead.
 */
import type { ColumnRef, Duration, Expression, JoinedSource, Query, SelectItem } from '../../parser/ast.js';
import type { DataSource } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { isSystemColumnName } from '../catalog/schema.js';
import { formatType, type SqlType, SqlTypes } from '../catalog/types.js';
import { StatementError, UnsupportedStatementError } from '../errors.js';
import { compileExpression } from '../expr/compile.js';
import { ExpressionCompileError } from '../expr/errors.js';
import { expressionText } from '../expr/expression-text.js';
import { collectColumnRefs, containsAggregateCall, rewriteExpression } from '../expr/expression-walk.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { JoinKind, JoinMode, JoinSource, JoinStep, JoinWindow } from '../plan/join-plan.js';
import { JOIN_KEY_REF, JoinScope } from '../plan/join-scope.js';
import type { FilterStep, PlanColumn, ProjectStep } from '../plan/physical-plan.js';
import { checkJoinPartitionBy, projectJoinPartitioned } from './join-partition-by.js';
import { planJoinRepartitions } from './join-repartition.js';
import { SyntheticNames } from './select-names.js';
import { sourceStepFor } from './stream-query-planner.js';

export interface AnalyzedJoinQuery {
  readonly dataSources: readonly DataSource[];
  readonly sources: readonly JoinSource[];
  readonly joins: readonly JoinStep[];
  readonly columns: readonly PlanColumn[];
  readonly syntheticKey?: PlanColumn;
  readonly resultKind: 'STREAM' | 'TABLE';
  readonly steps: readonly FilterStep[];
  readonly project: ProjectStep;
  readonly keyed: boolean;
}

export function durationMs(d: Duration): number {
  const unit = { MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 }[
    d.unit
  ];
  return d.value * unit;
}

const JOIN_TEXT: Record<JoinKind, string> = {
  INNER: '[INNER] JOIN',
  LEFT: 'LEFT [OUTER] JOIN',
  RIGHT: 'RIGHT [OUTER] JOIN',
  FULL: '[FULL] OUTER JOIN',
};

interface StepKey {
  /** Joined-row indexes of the columns that may stand for the key (the join columns). */
  readonly viable: readonly { readonly index: number; readonly text: string }[];
}

export function analyzeJoinQuery(
  query: Query,
  metastore: MetaStore,
  registry: FunctionRegistry,
  sinkName: string | undefined,
  /** `aggregate`: the rows feed a GROUP BY (create-join-aggregate.ts), which projects them. */
  options: { readonly push?: boolean; readonly aggregate?: boolean } = {},
): AnalyzedJoinQuery {
  if (query.from.kind !== 'Join') throw new Error('not a join');
  const aggregating = options.aggregate === true && query.groupBy !== undefined;
  if (query.groupBy !== undefined && !aggregating)
    throw new UnsupportedStatementError(
      'aggregation over joins',
      'GROUP BY over a join is not supported yet.',
    );
  if (query.window !== undefined && !aggregating)
    throw new StatementError('WINDOW clause requires a GROUP BY clause.');
  const relations = [query.from.left, ...query.from.joins.map((j) => j.relation)];
  const dataSources = relations.map((r) => {
    const source = metastore.source(r.name);
    if (source === undefined) {
      const at = r.location;
      const where = at === undefined ? '' : `Line: ${at.line}, Col: ${at.column}: `;
      throw new StatementError(`${where}Source \`${r.name}\` does not exist.`);
    }
    return source;
  });
  if (dataSources.length === 2 && dataSources[0]!.name === dataSources[1]!.name) {
    throw new StatementError(
      `Can not join '${dataSources[0]!.name}' to '${dataSources[1]!.name}': self joins are not yet supported.`,
    );
  }
  const seen = new Set<string>();
  for (const s of dataSources) {
    if (seen.has(s.name))
      throw new StatementError(
        `N-way joins do not support multiple occurrences of the same source. Source: '${s.name}'`,
      );
    seen.add(s.name);
  }
  const kafka = dataSources.filter((s) => s.valueFormat.format === 'KAFKA');
  if (kafka.length > 0) {
    throw new StatementError(
      `Source(s) ${kafka.map((s) => s.name).join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`,
    );
  }

  const sources: JoinSource[] = [];
  let offset = 0;
  for (const [i, r] of relations.entries()) {
    const step = sourceStepFor(dataSources[i]!, r.alias);
    sources.push({ step, offset, alias: r.alias ?? r.name });
    offset += step.columns.length;
  }
  // A first scope, without the key slot's final type, resolves the join criteria.
  const probe = new JoinScope(sources, SqlTypes.STRING);

  const joins: JoinStep[] = [];
  let leftKind = dataSources[0]!.kind;
  let key: StepKey = { viable: [] };
  let keyType: SqlType = SqlTypes.STRING;
  let synthetic = false;
  let foreignKeyPrimary: readonly number[] | undefined;
  // Every criterion is checked for its shape before any join is checked for its kind, as ksqlDB does.
  const criteria = query.from.joins.map((joined, i) => orientCriteria(joined, i + 1, probe, sources));
  /** Texts of the previous join's key expressions: a later join on one of them joins on its key. */
  let previousKeys = new Set<string>();
  for (const [i, joined] of query.from.joins.entries()) {
    const right = dataSources[i + 1]!;
    const { leftKey, rightKey, leftSource } = criteria[i]!;
    const leftName = dataSources[leftSource]!.name;
    const got = `Got ${leftName} ${JOIN_TEXT[joined.type]} ${right.name}.`;
    checkWindowed(dataSources[i]!, right);
    if (leftKind === 'TABLE' && right.kind === 'STREAM') {
      throw new StatementError(
        `Invalid join order: table-stream joins are not supported; only stream-table joins. ${got}`,
      );
    }
    if (
      leftKind === 'STREAM' &&
      right.kind === 'TABLE' &&
      (joined.type === 'FULL' || joined.type === 'RIGHT')
    ) {
      const what = joined.type === 'FULL' ? 'full-outer' : 'right-outer';
      throw new StatementError(`Invalid join type: ${what} join not supported for stream-table join. ${got}`);
    }
    const onPreviousKey = i > 0 && previousKeys.has(expressionText(qualifyAll(leftKey, probe)));
    const leftType = typeOf(leftKey, probe, registry);
    const rightType = typeOf(rightKey, probe, registry);
    const criteriaText = `${expressionText(qualifyAll(joined.on.kind === 'Comparison' ? joined.on.left : leftKey, probe))} = ${expressionText(qualifyAll(joined.on.kind === 'Comparison' ? joined.on.right : rightKey, probe))}`;
    if (formatType(leftType) !== formatType(rightType)) {
      const side = (e: Expression, t: SqlType) => `${expressionText(qualifyAll(e, probe))}{${formatType(t)}}`;
      const on = joined.on as { left: Expression; right: Expression };
      const [a, b] =
        on.left === leftKey
          ? [
              [leftKey, leftType],
              [rightKey, rightType],
            ]
          : [
              [rightKey, rightType],
              [leftKey, leftType],
            ];
      throw new StatementError(
        `Invalid join condition: types don't match. Got ${side(a![0] as Expression, a![1] as SqlType)} = ${side(b![0] as Expression, b![1] as SqlType)}.`,
      );
    }
    let mode: JoinMode;
    let window: JoinWindow | undefined;
    const rightPrimary = (): boolean => {
      const ref = rightKey.kind === 'ColumnRef' ? probe.resolve(rightKey.source, rightKey.name) : undefined;
      return (
        ref !== undefined &&
        ref.source === i + 1 &&
        right.schema.key.length === 1 &&
        right.schema.key[0]!.name === ref.name
      );
    };
    if (leftKind === 'STREAM' && right.kind === 'STREAM') {
      mode = 'STREAM_STREAM';
      if (joined.within === undefined) {
        throw new StatementError(
          'Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select',
        );
      }
      const before = durationMs(joined.within.before);
      const after = joined.within.after === undefined ? before : durationMs(joined.within.after);
      window = {
        beforeMs: before,
        afterMs: after,
        ...(joined.within.grace === undefined ? {} : { graceMs: durationMs(joined.within.grace) }),
      };
    } else if (leftKind === 'STREAM') {
      mode = 'STREAM_TABLE';
      if (joined.within !== undefined) {
        throw new StatementError(
          'A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to execute your Stream-Table join again.',
        );
      }
      if (!rightPrimary()) {
        throw new StatementError(
          `Invalid join condition: stream-table joins require to join on the table's primary key. Got ${criteriaText}.`,
        );
      }
    } else {
      if (joined.within !== undefined) {
        throw new StatementError(
          'A window definition was provided for a Table-Table join. These joins are not windowed. Please drop the window definition (i.e. the WITHIN clause) and try to execute your Table-Table join again.',
        );
      }
      if (!rightPrimary()) {
        throw new StatementError(
          `Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ${criteriaText}.`,
        );
      }
      const leftIndex =
        leftKey.kind === 'ColumnRef' ? probe.resolve(leftKey.source, leftKey.name)?.index : undefined;
      const onLeftKey =
        i === 0
          ? leftIndex !== undefined &&
            dataSources[0]!.schema.key.length === 1 &&
            leftIndex ===
              sources[0]!.offset +
                sources[0]!.step.columns.findIndex((c) => c.name === dataSources[0]!.schema.key[0]!.name)
          : onPreviousKey || (leftIndex !== undefined && key.viable.some((v) => v.index === leftIndex));
      if (onLeftKey) mode = 'TABLE_TABLE';
      else {
        if (i > 0 || (query.from.joins.length > 1 && i > 0)) {
          throw new StatementError(
            `Invalid join condition: foreign-key table-table joins are not supported as part of n-way joins. Got ${criteriaText}.`,
          );
        }
        if (joined.type === 'RIGHT')
          throw new StatementError('RIGHT OUTER JOIN on a foreign key is not supported');
        if (joined.type === 'FULL')
          throw new StatementError('FULL OUTER JOIN on a foreign key is not supported');
        mode = 'FOREIGN_KEY';
      }
    }
    // The key of this step's result.
    if (mode === 'FOREIGN_KEY') {
      const s0 = sources[0]!;
      foreignKeyPrimary = dataSources[0]!.schema.key.map(
        (k) => s0.offset + s0.step.columns.findIndex((c) => c.name === k.name),
      );
      const s0k = dataSources[0]!.schema.key;
      key = {
        viable:
          s0k.length === 1
            ? [{ index: foreignKeyPrimary[0]!, text: `${sources[0]!.alias}.${s0k[0]!.name}` }]
            : [],
      };
      keyType = s0k[0]?.type ?? SqlTypes.STRING;
      synthetic = false;
    } else {
      const refOf = (e: Expression) => {
        if (e.kind !== 'ColumnRef') return undefined;
        const r = probe.resolve(e.source, e.name);
        return r === undefined ? undefined : { index: r.index, text: expressionText(qualifyAll(e, probe)) };
      };
      const l = refOf(leftKey);
      const r = refOf(rightKey);
      const viable: { index: number; text: string }[] = [];
      const inherits =
        key.viable.length > 0 &&
        (onPreviousKey || (l !== undefined && i > 0 && key.viable.some((v) => v.index === l.index)));
      if (inherits) viable.push(...key.viable);
      else if (l !== undefined) viable.push(l);
      if (r !== undefined) viable.push(r);
      synthetic = joined.type === 'FULL' || viable.length === 0;
      key = { viable: synthetic ? [] : viable };
      keyType = leftType;
      foreignKeyPrimary = undefined;
    }
    previousKeys = new Set([leftKey, rightKey].map((e) => expressionText(qualifyAll(e, probe))));
    joins.push({
      kind: 'Join',
      joinKind: joined.type,
      mode,
      leftKey,
      rightKey,
      ...(window === undefined ? {} : { window }),
      ...(foreignKeyPrimary === undefined ? {} : { leftPrimaryKey: foreignKeyPrimary }),
    });
    leftKind = leftKind === 'TABLE' && right.kind === 'TABLE' ? 'TABLE' : 'STREAM';
  }
  checkPartitions(dataSources, joins, probe);
  const rekeyed = planJoinRepartitions(sources, dataSources, joins, probe, registry);

  const sourceColumnNames = new Set(sources.flatMap((s) => s.step.columns.map((c) => c.name)));
  const syntheticName = synthetic ? new SyntheticNames(sourceColumnNames).unique('ROWKEY') : undefined;
  const scope = new JoinScope(sources, keyType, syntheticName);
  const columns = scope.columns();
  const syntheticKey = syntheticName === undefined ? undefined : { name: syntheticName, type: keyType };

  const steps: FilterStep[] = [];
  if (query.where !== undefined) {
    const type = typeIn(query.where, scope, registry, 'WHERE');
    if (type.kind !== 'BOOLEAN') {
      throw new StatementError(
        `Type error in WHERE expression: Should evaluate to boolean but is ${expressionText(query.where)} (${formatType(type)}) instead.`,
      );
    }
    steps.push({ kind: 'Filter', predicate: query.where });
  }
  if (aggregating) {
    return {
      dataSources,
      sources: rekeyed,
      joins,
      columns,
      ...(syntheticKey === undefined ? {} : { syntheticKey }),
      resultKind: leftKind,
      steps,
      project: { kind: 'Project', key: [], value: [] },
      keyed: false,
    };
  }
  if (query.select.some((i) => i.kind === 'SingleColumn' && containsAggregateCall(i.expression, registry))) {
    throw new UnsupportedStatementError('aggregation', 'Aggregations over joins are not supported yet.');
  }
  const items = expandJoinSelect(query.select, scope, registry, query.partitionBy !== undefined);
  const resultKind = leftKind;
  const project =
    options.push === true
      ? {
          kind: 'Project' as const,
          key: [],
          value: items.map((i) => ({ column: { name: i.name, type: i.type }, expression: i.expression })),
        }
      : query.partitionBy !== undefined
        ? partitionedProjection(items, query.partitionBy, resultKind, scope, registry, sinkName ?? 'OUTPUT')
        : projectJoin(
            items,
            scope,
            sinkName ?? 'OUTPUT',
            key,
            syntheticName,
            foreignKeyPrimary,
            dataSources[0]!,
          );
  return {
    dataSources,
    sources: rekeyed,
    joins,
    columns,
    ...(syntheticKey === undefined ? {} : { syntheticKey }),
    resultKind,
    steps,
    project,
    keyed: project.key.length > 0,
  };
}

function partitionedProjection(
  items: readonly JoinOutputItem[],
  partitionBy: readonly Expression[],
  resultKind: 'STREAM' | 'TABLE',
  scope: JoinScope,
  registry: FunctionRegistry,
  sinkName: string,
): ProjectStep {
  checkJoinPartitionBy(resultKind, partitionBy);
  return projectJoinPartitioned(items, partitionBy, scope, registry, sinkName);
}

/** Splits `a = b` into the side over sources 0..i-1 and the side over source i. */
function orientCriteria(
  joined: JoinedSource,
  rightIndex: number,
  scope: JoinScope,
  sources: readonly JoinSource[],
): { leftKey: Expression; rightKey: Expression; leftSource: number } {
  const on = joined.on;
  if (on.kind === 'Logical' && on.operator === 'AND') {
    throw new StatementError(
      `Invalid join condition: joins on multiple conditions are not yet supported. Got ${expressionText(qualifyAll(on, scope))}.`,
    );
  }
  if (on.kind !== 'Comparison' || on.operator !== '=') {
    throw new StatementError(
      `Unsupported join expression: ${expressionText(on)}. Only equality joins (a.x = b.y) are supported.`,
    );
  }
  for (const ref of collectColumnRefs(on)) {
    if (ref.source !== undefined && scope.sourceIndex(ref.source) < 0) {
      throw new StatementError(
        `Failed to prepare statement: '${ref.source}' is not a valid stream/table name or alias.`,
      );
    }
  }
  const referenced = (e: Expression): Set<number> => {
    const found = new Set<number>();
    for (const ref of collectColumnRefs(e)) {
      const resolved = scope.resolve(ref.source, ref.name);
      if (resolved === undefined) {
        const text = ref.source === undefined ? ref.name : `${ref.source}.${ref.name}`;
        const at = ref.location ?? undefined;
        const where = at === undefined ? '' : `Line: ${at.line}, Col: ${at.column}: `;
        throw new StatementError(`${where}JOIN ON column '${text}' cannot be resolved.`);
      }
      if (resolved.source >= 0) found.add(resolved.source);
    }
    return found;
  };
  const l = referenced(on.left);
  const r = referenced(on.right);
  for (const side of [on.left, on.right]) {
    if ((side === on.left ? l : r).size !== 1) {
      throw new StatementError(
        `Invalid comparison expression '${expressionText(qualifyAll(side, scope))}' in join '${expressionText(qualifyAll(on, scope))}'. Each side of the join comparision must contain references from exactly one source.`,
      );
    }
  }
  const ls = [...l][0]!;
  const rs = [...r][0]!;
  if (ls === rs) {
    throw new StatementError(
      `Each side of the join must reference exactly one source and not the same source. Left side references \`${sources[ls]!.step.sourceName}\` and right references \`${sources[rs]!.step.sourceName}\``,
    );
  }
  if (rs === rightIndex && ls < rightIndex) return { leftKey: on.left, rightKey: on.right, leftSource: ls };
  if (ls === rightIndex && rs < rightIndex) return { leftKey: on.right, rightKey: on.left, leftSource: rs };
  throw new StatementError(
    `A join criteria is expected to reference the source (\`${sources[rightIndex]!.step.sourceName}\`) in the FROM clause, instead the right source references \`${sources[rs]!.step.sourceName}\` and the left source references \`${sources[ls]!.step.sourceName}\``,
  );
}

function checkWindowed(left: DataSource, right: DataSource): void {
  const lw = left.keyFormat.window;
  const rw = right.keyFormat.window;
  if ((lw === undefined) === (rw === undefined)) {
    if (lw !== undefined && rw !== undefined && (lw.type === 'SESSION') !== (rw.type === 'SESSION')) {
      throw new StatementError(
        `Incompatible windowed sources.\nLeft source: ${lw.type}\nRight source: ${rw.type}\nSession windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\nHopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources`,
      );
    }
    if (lw !== undefined && rw !== undefined && lw.sizeMs !== rw.sizeMs) {
      throw new StatementError(
        'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.',
      );
    }
    return;
  }
  const [w, n] = lw !== undefined ? [left, right] : [right, left];
  throw new StatementError(
    `Can not join windowed source to non-windowed source.\n\`${w.name}\` is ${w.keyFormat.window!.type} windowed\n\`${n.name}\` is not windowed`,
  );
}

/**
 * Sides joined key to key must have as many partitions as each other; a side joined on
 * anything else is re-keyed by the join and has no such constraint.
 */
function checkPartitions(
  _sources: readonly DataSource[],
  _joins: readonly JoinStep[],
  _scope: JoinScope,
): void {
  // Partition counts live in the log, not the catalog: the engine checks them when it starts
  // the query (join-query-start.ts).
}

function typeOf(e: Expression, scope: JoinScope, registry: FunctionRegistry): SqlType {
  return typeIn(e, scope, registry, 'JOIN ON');
}

function typeIn(
  expression: Expression,
  scope: JoinScope,
  registry: FunctionRegistry,
  clause: string,
): SqlType {
  try {
    return compileExpression(expression, scope, registry, { clause }).type ?? SqlTypes.STRING;
  } catch (err) {
    if (err instanceof ExpressionCompileError) {
      const prefix =
        err.phase === 'code-generation' ? 'Invalid Predicate: ' : `Error in ${clause} expression: `;
      if (clause === 'JOIN ON')
        throw new StatementError(err.message, err.location ? { location: err.location } : {});
      throw new StatementError(`${prefix}${err.message}`, err.location ? { location: err.location } : {});
    }
    throw err;
  }
}

/** Every column reference qualified with its source's alias, for messages. */
function qualifyAll(e: Expression, scope: JoinScope): Expression {
  return rewriteExpression(e, (node) => (node.kind === 'ColumnRef' ? scope.qualify(node) : undefined));
}

interface JoinOutputItem {
  readonly name: string;
  readonly expression: Expression;
  readonly type: SqlType;
}

function expandJoinSelect(
  select: readonly SelectItem[],
  scope: JoinScope,
  registry: FunctionRegistry,
  partitioned = false,
): JoinOutputItem[] {
  const items: { name?: string; expression: Expression }[] = [];
  const sourceItems = (i: number) => {
    const s = scope.sources[i]!;
    // Re-keyed by PARTITION BY, a join's `*` is its rows as ksqlDB re-keys them: each source's
    // value and header columns, its pseudo columns, then its key columns.
    const pseudo = partitioned
      ? s.step.columns.filter(
          (c) => c.name === 'ROWTIME' || c.name === 'ROWPARTITION' || c.name === 'ROWOFFSET',
        )
      : [];
    const names = (
      partitioned
        ? [...s.step.valueColumns, ...s.step.headerColumns, ...pseudo, ...s.step.keyColumns]
        : [...s.step.keyColumns, ...s.step.valueColumns, ...s.step.headerColumns]
    ).map((c) => c.name);
    return names.map((n) => ({
      name: `${s.alias}_${n}`,
      expression: { kind: 'ColumnRef', source: s.alias, name: n } as Expression,
    }));
  };
  for (const item of select) {
    switch (item.kind) {
      case 'AllColumns': {
        if (item.source !== undefined) {
          const i = scope.sourceIndex(item.source);
          if (i < 0) throw new StatementError(`'${item.source}' is not a valid stream/table name or alias.`);
          items.push(...sourceItems(i));
        } else {
          if (scope.syntheticKeyName !== undefined)
            items.push({
              name: scope.syntheticKeyName,
              expression: { kind: 'ColumnRef', name: scope.syntheticKeyName },
            });
          for (let i = 0; i < scope.sources.length; i++) items.push(...sourceItems(i));
        }
        break;
      }
      case 'AllStructFields': {
        const type = compileExpression(item.base, scope, registry, { clause: 'SELECT' }).type;
        if (type?.kind !== 'STRUCT') {
          throw new StatementError(
            `Expected a STRUCT for ->*, but ${expressionText(item.base)} is not a STRUCT`,
          );
        }
        for (const field of type.fields) {
          items.push({
            name: field.name,
            expression: { kind: 'Dereference', base: item.base, field: field.name },
          });
        }
        break;
      }
      case 'SingleColumn': {
        if (item.alias !== undefined && isSystemColumnName(item.alias)) {
          throw new StatementError(
            `\`${item.alias}\` is a reserved column name. You cannot use it as an alias for a column.`,
          );
        }
        const e = item.expression;
        if (e.kind === 'ColumnRef' && scope.resolve(e.source, e.name) === undefined) {
          const name = e.source === undefined ? e.name : `${e.source}.${e.name}`;
          throw new StatementError(`SELECT column '${name}' cannot be resolved.`);
        }
        const derived =
          item.alias ??
          (e.kind === 'ColumnRef' ? scope.outputName(e) : e.kind === 'Dereference' ? e.field : undefined);
        items.push(derived === undefined ? { expression: e } : { name: derived, expression: e });
        break;
      }
    }
  }
  const taken = new Set([
    ...scope.columns().map((c) => c.name),
    ...items.flatMap((i) => (i.name === undefined ? [] : [i.name])),
  ]);
  const names = new SyntheticNames(taken);
  return items.map((i) => {
    let type: SqlType;
    try {
      type = compileExpression(i.expression, scope, registry, { clause: 'SELECT' }).type ?? SqlTypes.STRING;
    } catch (err) {
      if (err instanceof ExpressionCompileError && err.phase === 'code-generation') {
        throw new StatementError(`Invalid Select: ${err.message}`);
      }
      throw err;
    }
    return { name: i.name ?? names.take(), expression: i.expression, type };
  });
}

function projectJoin(
  items: readonly JoinOutputItem[],
  scope: JoinScope,
  sinkName: string,
  key: StepKey,
  syntheticName: string | undefined,
  foreignKeyPrimary: readonly number[] | undefined,
  leftSource: DataSource,
): ProjectStep {
  const indexOf = (e: Expression): number | undefined => {
    if (e.kind !== 'ColumnRef') return undefined;
    return scope.resolve((e as ColumnRef).source, e.name)?.index;
  };
  const keyItems: JoinOutputItem[] = [];
  const keyColumns: ProjectStep['key'][number][] = [];
  if (foreignKeyPrimary !== undefined) {
    // A foreign-key join's result is keyed by the left table's primary key, all of it.
    const missing: string[] = [];
    for (const [n, index] of foreignKeyPrimary.entries()) {
      const matches = items.filter((i) => indexOf(i.expression) === index);
      const columnName = leftSource.schema.key[n]!.name;
      if (matches.length === 0) missing.push(columnName);
      else if (matches.length > 1) {
        throw new StatementError(
          `The projection contains a key column (\`${scope.columns()[index]!.name}\`) more than once, aliased as: ${matches
            .map((m) => m.name)
            .sort()
            .join(' and ')}.`,
        );
      } else {
        keyItems.push(matches[0]!);
        keyColumns.push({
          column: { name: matches[0]!.name, type: matches[0]!.type },
          expression: matches[0]!.expression,
        });
      }
    }
    if (missing.length > 0) {
      const plural = missing.length > 1;
      throw new StatementError(
        `Primary key column${plural ? 's' : ''} missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (\`${leftSource.name}\`). Missing column${plural ? 's' : ''}: ${missing.map((m) => `\`${m}\``).join(', ')}.`,
      );
    }
  } else {
    const viable = syntheticName === undefined ? key.viable.map((v) => v.index) : [scope.keyIndex];
    // The first join column (left before right) the projection selects is the key.
    let first: JoinOutputItem | undefined;
    for (const v of viable) {
      first = items.find((i) => indexOf(i.expression) === v);
      if (first !== undefined) break;
    }
    if (first === undefined) {
      if (syntheticName !== undefined) {
        throw new StatementError(
          `Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build \`${sinkName}\` must include the join expression ${syntheticName} in its projection (eg, SELECT ${syntheticName}...).\n${syntheticName} was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased. `,
        );
      }
      const texts = key.viable.map((v) => v.text);
      const list =
        texts.length <= 1 ? texts.join('') : `${texts.slice(0, -1).join(', ')} or ${texts[texts.length - 1]}`;
      throw new StatementError(
        `The query used to build \`${sinkName}\` must include the join expression${texts.length > 1 ? 's' : ''} ${list} in its projection (eg, SELECT ${texts[0]}...).`,
      );
    }
    const at = indexOf(first.expression)!;
    const same = items.filter((i) => indexOf(i.expression) === at);
    if (same.length > 1) {
      throw new StatementError(
        `The projection contains a key column (\`${scope.columns()[at]!.name}\`) more than once, aliased as: ${same
          .map((m) => m.name)
          .sort()
          .join(' and ')}.`,
      );
    }
    keyItems.push(first);
    // The key is the join key itself: on an outer join's non-match the selected column may be
    // null while the key is the other side's.
    keyColumns.push({ column: { name: first.name, type: first.type }, expression: JOIN_KEY_REF });
  }
  const keySet = new Set(keyItems);
  const value = items.filter((i) => !keySet.has(i));
  if (value.length === 0) throw new StatementError('The projection contains no value columns.');
  const seen = new Set<string>();
  for (const i of [...keyItems, ...value]) {
    if (seen.has(i.name)) throw new StatementError(`Duplicate column name: \`${i.name}\``);
    seen.add(i.name);
  }
  return {
    kind: 'Project',
    key: keyColumns,
    value: value.map((i) => ({ column: { name: i.name, type: i.type }, expression: i.expression })),
  };
}
