/**
 * Plans GROUP BY over a stream, windowed or not: the group key, the aggregate calls, HAVING,
 * and the projection over the aggregated rows, with ksqlDB's rules and messages.
 *
 * The aggregate step's row is the group expressions followed by the aggregate results; the
 * projection and HAVING see group expressions and aggregate calls as those columns (matched by
 * their text), so `SELECT NAME, COUNT(*) * 2 ... GROUP BY NAME` compiles over that row.
 */
import type { Duration, Expression, FunctionCall, Query, WindowExpression } from '../../parser/ast.js';
import { formatExpression } from '../../parser/format.js';
import type { DataSource } from '../catalog/data-source.js';
import { isSystemColumnName, isWindowBoundColumnName } from '../catalog/schema.js';
import { type SqlType, SqlTypes } from '../catalog/types.js';
import { StatementError, UnsupportedStatementError } from '../errors.js';
import { compileAggregateCall, isAggregateRegistry } from '../expr/aggregate-call.js';
import { compileExpression } from '../expr/compile.js';
import { ExpressionCompileError } from '../expr/errors.js';
import { expressionText } from '../expr/expression-text.js';
import { childExpressions, collectAggregateCalls, walkExpression } from '../expr/expression-walk.js';
import { tableSourceAggregateMessage } from '../expr/functions/aggregate-types.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import { ColumnScope } from '../plan/column-scope.js';
import type {
  AggregateStep,
  PlanColumn,
  ProjectStep,
  SourceStep,
  WindowSpec,
} from '../plan/physical-plan.js';
import { derivedName, SyntheticNames } from './select-names.js';

export interface AnalyzedAggregate {
  readonly step: AggregateStep;
  readonly project: ProjectStep;
}

export function planAggregate(
  query: Query,
  source: DataSource,
  sourceStep: SourceStep,
  scope: ColumnScope,
  registry: FunctionRegistry,
  sinkName: string,
): AnalyzedAggregate {
  if (!isAggregateRegistry(registry)) throw new Error('the function registry has no aggregate functions');
  if (query.emit === 'FINAL' && query.window === undefined)
    throw new StatementError('EMIT FINAL is only supported for windowed aggregations.');
  if (source.valueFormat.format === 'KAFKA') {
    throw new StatementError(
      `Source(s) ${source.name} are using the 'KAFKA' value format. This format does not yet support GROUP BY.`,
    );
  }
  for (const item of query.select) {
    if (item.kind !== 'SingleColumn') continue;
    walkExpression(item.expression, (node) => {
      if (node.kind !== 'FunctionCall') return;
      if (registry.isTable(node.name))
        throw new StatementError('Table functions cannot be used with aggregations.');
      if (!registry.isScalar(node.name) && !registry.isAggregate(node.name)) {
        throw new StatementError(`Can't find any functions with the name '${node.name}'`);
      }
    });
  }
  for (const item of query.select) {
    if (item.kind === 'SingleColumn' && item.alias === undefined && item.expression.kind === 'ColumnRef') {
      if (isSystemColumnName(item.expression.name)) {
        throw new StatementError(
          `Reserved column name in select: \`${item.expression.name}\`. Please remove or alias the column.`,
        );
      }
    }
  }
  const groupBy = query.groupBy ?? [];
  if (groupBy.length === 0)
    throw new UnsupportedStatementError('GROUP BY ()', 'GROUP BY without expressions is not supported yet.');
  for (const g of groupBy) {
    const call = collectAggregateCalls(g, registry)[0];
    if (call !== undefined) {
      throw new StatementError(
        `GROUP BY does not support aggregate functions: ${call.name} is an aggregate function.`,
      );
    }
  }
  if (query.window !== undefined) {
    for (const g of groupBy) rejectWindowBounds(g);
    if (query.having !== undefined) rejectWindowBounds(query.having);
  }
  const groupTypes = groupBy.map((g) => compileExpression(g, scope, registry, { clause: 'GROUP BY' }).type);

  // Aggregate calls of the projection and HAVING, each computed once.
  const calls = new Map<string, FunctionCall>();
  const collect = (e: Expression) => {
    for (const call of collectAggregateCalls(e, registry)) {
      for (const arg of call.args) {
        if (query.window !== undefined) rejectWindowBounds(arg);
        if (collectAggregateCalls(arg, registry).length > 0) {
          throw new StatementError(`Aggregate functions can not be nested: ${formatExpression(call)}`);
        }
      }
      calls.set(formatExpression(call), call);
    }
  };
  for (const item of query.select) if (item.kind === 'SingleColumn') collect(item.expression);
  if (query.having !== undefined) collect(query.having);
  if (calls.size === 0) {
    throw new StatementError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
  }

  const columns: PlanColumn[] = [];
  const computed = new Map<string, { index: number; type: SqlType }>();
  const groupNames = new SyntheticNames(new Set(sourceStep.columns.map((c) => c.name)));
  for (const [i, g] of groupBy.entries()) {
    const type = groupTypes[i]!;
    computed.set(formatExpression(g), { index: columns.length, type });
    columns.push({ name: derivedName(g) ?? groupNames.take(), type });
  }
  const withoutUndo: string[] = [];
  for (const [text, call] of calls) {
    const compiled = compileAggregateCall(call, scope, registry);
    // A table's rows change: its aggregates must be able to take a row back out.
    if (
      source.kind === 'TABLE' &&
      compiled.undo === undefined &&
      !withoutUndo.includes(call.name.toUpperCase())
    )
      withoutUndo.push(call.name.toUpperCase());
    const type = compiled.returnType;
    // Aggregation state travels in the source's value format, which must be able to hold it.
    if (
      (source.valueFormat.format === 'DELIMITED' || source.valueFormat.format === 'KAFKA') &&
      ['ARRAY', 'MAP', 'STRUCT'].includes(compiled.intermediateType.kind)
    ) {
      throw new StatementError(
        'One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.',
      );
    }
    computed.set(text, { index: columns.length, type });
    columns.push({ name: `KSQL_AGG_${computed.size}`, type });
  }
  if (withoutUndo.length > 0) throw new StatementError(tableSourceAggregateMessage(withoutUndo));
  const window = query.window === undefined ? undefined : windowSpec(query.window, query.emit === 'FINAL');
  if (window !== undefined) {
    columns.push(
      { name: 'WINDOWSTART', type: SqlTypes.BIGINT },
      { name: 'WINDOWEND', type: SqlTypes.BIGINT },
    );
  }
  const aggScope = new ColumnScope(columns, [], computed);
  const step: AggregateStep = {
    kind: 'Aggregate',
    groupBy,
    aggregates: [...calls.values()],
    columns,
    ...(query.having === undefined ? {} : { having: query.having }),
    ...(window === undefined ? {} : { window }),
    ...(query.emit === 'FINAL' ? { emitFinal: true } : {}),
  };
  if (query.having !== undefined) {
    checkGrouped([query.having], groupBy, registry, 'HAVING');
    let type: SqlType;
    try {
      type = compileExpression(query.having, aggScope, registry, { clause: 'HAVING' }).type;
    } catch (err) {
      if (err instanceof ExpressionCompileError && err.phase !== 'code-generation') {
        throw new StatementError(
          `Error in HAVING expression: ${err.message}`,
          err.location ? { location: err.location } : {},
        );
      }
      throw err;
    }
    if (type.kind !== 'BOOLEAN') throw new StatementError('HAVING clause must be a boolean expression');
  }
  return { step, project: projectAggregate(query, groupBy, aggScope, sourceStep, registry, sinkName) };
}

/** Kafka Streams' default grace for windows declared without one: a day less the window size. */
const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;

const UNIT_MS: Readonly<Record<Duration['unit'], number>> = {
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

function durationMs(d: Duration): number {
  return d.value * UNIT_MS[d.unit];
}

/**
 * The window of a windowed aggregation, with ksqlDB's defaults: without GRACE PERIOD a window
 * accepts records for a day less its size (Kafka Streams' old default), except under EMIT
 * FINAL, where it closes at its end; state is retained for size plus grace unless RETENTION
 * says longer.
 */
export function windowSpec(window: WindowExpression, emitFinal: boolean): WindowSpec {
  const sizeMs = durationMs(window.kind === 'SessionWindow' ? window.gap : window.size);
  const advanceMs = window.kind === 'HoppingWindow' ? durationMs(window.advance) : sizeMs;
  if (window.kind === 'HoppingWindow' && (advanceMs <= 0 || advanceMs > sizeMs)) {
    throw new StatementError(
      `Window advance must be positive and no larger than the window size: size=${sizeMs}, advance=${advanceMs}`,
    );
  }
  if (sizeMs <= 0) throw new StatementError('Window size must be positive.');
  const graceMs =
    window.grace !== undefined
      ? durationMs(window.grace)
      : emitFinal
        ? 0
        : Math.max(DEFAULT_GRACE_MS - sizeMs, 0);
  const minimum = sizeMs + graceMs;
  const retentionMs = window.retention === undefined ? minimum : durationMs(window.retention);
  if (retentionMs < minimum) {
    throw new StatementError(
      `The retention period of the window store must be no smaller than its window size plus the grace period. Got size=[${sizeMs}], grace=[${graceMs}], retention=[${retentionMs}]`,
    );
  }
  const type =
    window.kind === 'SessionWindow' ? 'SESSION' : window.kind === 'HoppingWindow' ? 'HOPPING' : 'TUMBLING';
  return { type, sizeMs, advanceMs, graceMs, retentionMs };
}

function rejectWindowBounds(e: Expression): void {
  walkExpression(e, (node) => {
    if (node.kind === 'ColumnRef' && isWindowBoundColumnName(node.name)) {
      throw new StatementError(
        `Window bounds column ${node.name} can only be used in the SELECT clause of windowed aggregations`,
      );
    }
  });
}

/**
 * Whether an expression reads only GROUP BY expressions and aggregate calls (literals and
 * functions over those are fine; a column outside both is not).
 */
function isGrouped(
  e: Expression,
  groupBy: readonly Expression[],
  registry: FunctionRegistry,
  windowed: boolean,
): boolean {
  const grouped = new Set(groupBy.map((g) => formatExpression(g)));
  const check = (x: Expression): boolean => {
    if (grouped.has(formatExpression(x))) return true;
    if (x.kind === 'FunctionCall' && registry.isAggregate(x.name)) return true;
    // A windowed aggregation's rows carry their window's bounds.
    if (x.kind === 'ColumnRef') return windowed && isWindowBoundColumnName(x.name);
    return childExpressions(x).every(check);
  };
  return check(e);
}

function checkGrouped(
  expressions: readonly Expression[],
  groupBy: readonly Expression[],
  registry: FunctionRegistry,
  clause: 'SELECT' | 'HAVING',
  windowed = false,
): void {
  const failing = expressions.filter((e) => !isGrouped(e, groupBy, registry, windowed));
  if (failing.length === 0) return;
  if (clause === 'SELECT') {
    throw new StatementError(
      `Non-aggregate SELECT expression(s) not part of GROUP BY: ${failing.map((e) => expressionText(e)).join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`,
    );
  }
  // For HAVING ksqlDB names the columns that are neither grouped nor aggregated.
  const grouped = new Set(groupBy.map((g) => formatExpression(g)));
  const columns = new Set<string>();
  const visit = (x: Expression): void => {
    if (grouped.has(formatExpression(x)) || (x.kind === 'FunctionCall' && registry.isAggregate(x.name)))
      return;
    if (x.kind === 'ColumnRef') columns.add(expressionText(x));
    for (const child of childExpressions(x)) visit(child);
  };
  for (const e of failing) visit(e);
  throw new StatementError(
    `Non-aggregate HAVING expression not part of GROUP BY: ${[...columns].join(', ')}`,
  );
}

function projectAggregate(
  query: Query,
  groupBy: readonly Expression[],
  scope: ColumnScope,
  source: SourceStep,
  registry: FunctionRegistry,
  sinkName: string,
): ProjectStep {
  const items: { name?: string; expression: Expression; aliased: boolean }[] = [];
  for (const item of query.select) {
    if (item.kind !== 'SingleColumn') {
      throw new UnsupportedStatementError(
        'SELECT * with GROUP BY',
        'SELECT * with GROUP BY is not supported yet.',
      );
    }
    const name = item.alias ?? derivedName(item.expression);
    items.push(
      name === undefined
        ? { expression: item.expression, aliased: false }
        : { name, expression: item.expression, aliased: item.alias !== undefined },
    );
  }
  checkGrouped(
    items.map((i) => i.expression),
    groupBy,
    registry,
    'SELECT',
    query.window !== undefined,
  );
  const names = new SyntheticNames(
    new Set([
      ...source.columns.map((c) => c.name),
      ...items.flatMap((i) => (i.name === undefined ? [] : [i.name])),
    ]),
  );
  const typed = items.map((i) => ({
    name: i.name ?? names.take(),
    expression: i.expression,
    type: compileExpression(i.expression, scope, registry, { clause: 'SELECT' }).type,
  }));
  const key: ProjectStep['key'][number][] = [];
  const missing: Expression[] = [];
  for (const g of groupBy) {
    const match = typed.filter((t) => formatExpression(t.expression) === formatExpression(g));
    if (match.length > 1) {
      throw new StatementError(
        `The projection contains a key column more than once: ${match.map((m) => `\`${m.name}\``).join(' and ')}.`,
      );
    }
    if (match.length === 0) missing.push(g);
    else
      key.push({ column: { name: match[0]!.name, type: match[0]!.type }, expression: match[0]!.expression });
  }
  if (missing.length > 0) {
    const texts = missing.map((g) => expressionText(g));
    const what = texts.length === 1 ? 'expression' : 'expressions';
    const list =
      texts.length <= 1 ? texts.join('') : `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1]}`;
    throw new StatementError(
      `The query used to build \`${sinkName}\` must include the grouping ${what} ${list} in its projection (eg, SELECT ${texts.join(', ')}...).`,
    );
  }
  const keyExpressions = new Set(key.map((k) => k.expression));
  const value = typed
    .filter((t) => !keyExpressions.has(t.expression))
    .map((t) => ({ column: { name: t.name, type: t.type }, expression: t.expression }));
  if (value.length === 0) throw new StatementError('The projection contains no value columns.');
  return { kind: 'Project', key, value };
}
