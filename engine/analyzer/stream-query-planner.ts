/**
 * Plans the stateless queries over one stream: SELECT with WHERE, table functions and
 * PARTITION BY, for CREATE STREAM AS SELECT, INSERT INTO ... SELECT and push queries.
 *
 * Key rules follow ksqlDB: without PARTITION BY the source's key columns are the output's key
 * when the projection selects them (all of them, each once), and the output has no key when
 * it selects none; with PARTITION BY the projection must select each partitioning expression,
 * which becomes the key.
 */
import type { Expression, FunctionCall, Query, SelectItem } from '../../parser/ast.js';
import { formatExpression } from '../../parser/format.js';
import type { DataSource } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { isSystemColumnName, isWindowBoundColumnName } from '../catalog/schema.js';
import { formatType, type SqlType, SqlTypes } from '../catalog/types.js';
import { StatementError, UnsupportedStatementError } from '../errors.js';
import { compileExpression } from '../expr/compile.js';
import { ExpressionCompileError } from '../expr/errors.js';
import { containsAggregateCall, walkExpression } from '../expr/expression-walk.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import { compileTableCall } from '../expr/table-call.js';
import { ColumnScope } from '../plan/column-scope.js';
import type {
  AggregateStep,
  FilterStep,
  FlatMapStep,
  PlanColumn,
  ProjectStep,
  SourceStep,
} from '../plan/physical-plan.js';
import { planAggregate } from './aggregate-planner.js';
import { derivedName, SyntheticNames } from './select-names.js';

export interface AnalyzedStreamQuery {
  readonly source: DataSource;
  readonly sourceStep: SourceStep;
  readonly steps: readonly (FilterStep | FlatMapStep)[];
  /** GROUP BY: the output is a table of aggregated rows. */
  readonly aggregate?: AggregateStep;
  readonly project: ProjectStep;
  /** Whether the output has a key (false: keyless stream). */
  readonly keyed: boolean;
  /** PARTITION BY changed the key, so the sink's default key format cannot be inherited as is. */
  readonly rekeyed: boolean;
}

interface OutputItem {
  readonly name: string;
  readonly expression: Expression;
  readonly type: SqlType;
  readonly aliased: boolean;
}

export function analyzeStreamQuery(
  query: Query,
  metastore: MetaStore,
  registry: FunctionRegistry,
  sinkName: string | undefined,
  options: { readonly push?: boolean } = {},
): AnalyzedStreamQuery {
  if (query.from.kind === 'Join')
    throw new UnsupportedStatementError('joins', 'Joins are not supported yet.');
  if (query.groupBy === undefined && query.window !== undefined) {
    const plain = query.select.filter(
      (i) => i.kind === 'SingleColumn' && !containsAggregateCall(i.expression, registry),
    );
    if (
      query.select.some((i) => i.kind === 'SingleColumn' && containsAggregateCall(i.expression, registry))
    ) {
      // Aggregates without GROUP BY: ksqlDB reports the columns that are not aggregated.
      throw new StatementError(
        `Non-aggregate SELECT expression(s) not part of GROUP BY: ${plain.map((i) => (i.kind === 'SingleColumn' ? formatExpression(i.expression) : '')).join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`,
      );
    }
    throw new StatementError('WINDOW clause requires a GROUP BY clause.');
  }
  if (query.groupBy === undefined && query.having !== undefined) {
    throw new UnsupportedStatementError('aggregation', 'HAVING without GROUP BY is not supported yet.');
  }
  if (query.groupBy !== undefined && options.push === true) {
    throw new UnsupportedStatementError('aggregation', 'Push queries with GROUP BY are not supported yet.');
  }
  const relation = query.from;
  const source = metastore.source(relation.name);
  if (source === undefined) {
    const at = relation.location;
    const where = at === undefined ? '' : `Line: ${at.line}, Col: ${at.column}: `;
    throw new StatementError(`${where}Source \`${relation.name}\` does not exist.`);
  }
  if (source.kind === 'TABLE' && query.partitionBy !== undefined) {
    throw new UnsupportedStatementError(
      'table PARTITION BY',
      'PARTITION BY over a table is not supported yet.',
    );
  }
  if (
    source.kind === 'TABLE' &&
    query.select.some((i) => i.kind === 'SingleColumn' && containsTableCall(i.expression, registry))
  ) {
    throw new StatementError('Table source is not supported with table functions');
  }
  if (
    query.groupBy === undefined &&
    query.select.some((i) => i.kind === 'SingleColumn' && containsAggregateCall(i.expression, registry))
  ) {
    throw new UnsupportedStatementError('aggregation', 'Aggregations are not supported yet.');
  }
  const sourceStep = sourceStepFor(source, relation.alias);
  const scope = new ColumnScope(sourceStep.columns, sourceStep.qualifiers);
  const typeOf = (e: Expression, clause: string) => typeIn(e, scope, registry, clause);

  const steps: (FilterStep | FlatMapStep)[] = [];
  if (query.where !== undefined) {
    const type = typeOf(query.where, 'WHERE');
    if (type.kind !== 'BOOLEAN') {
      throw new StatementError(
        `Type error in WHERE expression: Should evaluate to boolean but is ${formatExpression(query.where)} (${formatType(type)}) instead.`,
      );
    }
    steps.push({ kind: 'Filter', predicate: query.where });
  }

  if (query.groupBy !== undefined) {
    if (query.partitionBy !== undefined)
      throw new StatementError('PARTITION BY and GROUP BY in the same query are not supported.');
    const aggregate = planAggregate(query, source, sourceStep, scope, registry, sinkName ?? 'OUTPUT');
    return {
      source,
      sourceStep,
      steps,
      aggregate: aggregate.step,
      project: aggregate.project,
      keyed: true,
      rekeyed: true,
    };
  }
  const flatMap = flatMapFor(query.select, sourceStep, scope, registry);
  const selectScope = flatMap === undefined ? scope : flatMap.scope;
  if (flatMap !== undefined) steps.push(flatMap.step);
  const items = expandSelect(query.select, sourceStep, selectScope, registry, query.partitionBy);
  // A push query's rows are its columns in SELECT order; keys only matter to a sink.
  const project: ProjectStep =
    options.push === true
      ? {
          kind: 'Project',
          key: [],
          value: items.map((i) => ({ column: { name: i.name, type: i.type }, expression: i.expression })),
        }
      : projectFor(items, sourceStep, query, selectScope, registry, sinkName);
  return {
    source,
    sourceStep,
    steps,
    project,
    keyed: project.key.length > 0,
    rekeyed: query.partitionBy !== undefined,
  };
}

export function sourceStepFor(source: DataSource, alias: string | undefined): SourceStep {
  const windowed = source.keyFormat.window !== undefined;
  const columns: PlanColumn[] = source.schema
    .withPseudoColumns(windowed)
    .columns.map((c) => ({ name: c.name, type: c.type }));
  return {
    kind: 'Source',
    sourceName: source.name,
    sourceKind: source.kind,
    qualifiers: alias === undefined ? [source.name] : [alias, source.name],
    topic: source.topic,
    keyColumns: source.schema.key.map((c) => ({ name: c.name, type: c.type })),
    valueColumns: source.schema.value.map((c) => ({ name: c.name, type: c.type })),
    headerColumns: source.schema.headers.map((c) =>
      c.headerKey === undefined ? { name: c.name } : { name: c.name, headerKey: c.headerKey },
    ),
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    ...(source.timestamp === undefined ? {} : { timestamp: source.timestamp }),
    columns,
  };
}

/**
 * Types an expression of a clause, wording errors as ksqlDB does: "Error in WHERE expression: "
 * for type errors, "Invalid Predicate: " for errors its code generator finds in a filter.
 */
/**
 * The flat-map step for the table functions the projection calls (each distinct call once),
 * and the scope in which the projection then sees their values as columns.
 */
function flatMapFor(
  select: readonly SelectItem[],
  source: SourceStep,
  scope: ColumnScope,
  registry: FunctionRegistry,
): { step: FlatMapStep; scope: ColumnScope } | undefined {
  const calls = new Map<string, FunctionCall>();
  for (const item of select) {
    if (item.kind !== 'SingleColumn') continue;
    walkExpression(item.expression, (node) => {
      if (node.kind === 'FunctionCall' && registry.isTable(node.name))
        calls.set(formatExpression(node), node);
    });
  }
  if (calls.size === 0) return undefined;
  const columns: PlanColumn[] = [...source.columns];
  const computed = new Map<string, { index: number; type: SqlType }>();
  for (const [text, call] of calls) {
    const type = compileTableCall(call, scope, registry).type;
    computed.set(text, { index: columns.length, type });
    columns.push({ name: `KSQL_SYNTH_${computed.size - 1}`, type });
  }
  return {
    step: { kind: 'FlatMap', functions: [...calls.values()], columns },
    scope: new ColumnScope(columns, source.qualifiers, computed),
  };
}

function containsTableCall(expression: Expression, registry: FunctionRegistry): boolean {
  let found = false;
  walkExpression(expression, (node) => {
    if (node.kind === 'FunctionCall' && registry.isTable(node.name)) found = true;
  });
  return found;
}

function typeIn(
  expression: Expression,
  scope: ColumnScope,
  registry: FunctionRegistry,
  clause: string,
): SqlType {
  try {
    return compileExpression(expression, scope, registry, { clause }).type;
  } catch (err) {
    if (err instanceof ExpressionCompileError) {
      const prefix =
        err.phase === 'code-generation' ? 'Invalid Predicate: ' : `Error in ${clause} expression: `;
      throw new StatementError(`${prefix}${err.message}`, err.location ? { location: err.location } : {});
    }
    throw err;
  }
}

function expandSelect(
  select: readonly SelectItem[],
  source: SourceStep,
  scope: ColumnScope,
  registry: FunctionRegistry,
  partitionBy: readonly Expression[] | undefined,
): OutputItem[] {
  const items: { name?: string; expression: Expression; aliased: boolean }[] = [];
  for (const item of select) {
    switch (item.kind) {
      case 'AllColumns': {
        if (item.source !== undefined && !source.qualifiers.includes(item.source)) {
          throw new StatementError(`'${item.source}' is not a valid stream/table name or alias.`);
        }
        for (const item of starItems(source, partitionBy)) items.push(item);
        break;
      }
      case 'AllStructFields': {
        // s->* selects every field of the struct, each named after its field.
        const type = compileExpression(item.base, scope, registry, { clause: 'SELECT' }).type;
        if (type.kind !== 'STRUCT') {
          throw new StatementError(
            `Expected a STRUCT for ->*, but ${formatExpression(item.base)} is ${formatType(type)}`,
          );
        }
        for (const field of type.fields) {
          items.push({
            name: field.name,
            expression: { kind: 'Dereference', base: item.base, field: field.name },
            aliased: true,
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
        const derived = item.alias ?? derivedName(item.expression);
        if (
          item.alias === undefined &&
          item.expression.kind === 'ColumnRef' &&
          isSystemColumnName(item.expression.name)
        ) {
          if (
            isWindowBoundColumnName(item.expression.name) &&
            scope.resolveColumn(undefined, item.expression.name) === undefined
          ) {
            throw new StatementError(
              `Window bounds column ${item.expression.name} can only be used in the SELECT clause of windowed aggregations`,
            );
          }
          throw new StatementError(
            `Reserved column name in select: \`${item.expression.name}\`. Please remove or alias the column.`,
          );
        }
        items.push(
          derived === undefined
            ? { expression: item.expression, aliased: false }
            : { name: derived, expression: item.expression, aliased: item.alias !== undefined },
        );
        break;
      }
    }
  }
  // Generated names avoid every source column and every name the projection fixes; a struct
  // field's name that is taken gets a numeric suffix (B, B_1, B_2), as in ksqlDB.
  const taken = new Set([
    ...source.columns.map((c) => c.name),
    ...items.flatMap((i) =>
      i.name === undefined || (i.expression.kind === 'Dereference' && !i.aliased) ? [] : [i.name],
    ),
  ]);
  const names = new SyntheticNames(taken);
  return items.map((i) => {
    const type = selectType(i.expression, scope, registry);
    let name = i.name;
    if (name !== undefined && i.expression.kind === 'Dereference' && !i.aliased) name = names.unique(name);
    return { name: name ?? names.take(), expression: i.expression, type, aliased: i.aliased };
  });
}

/**
 * The columns `*` stands for. After PARTITION BY the row is re-keyed first, as ksqlDB does: the
 * partitioning expressions are the key, then the value columns that did not become key, then
 * the old key columns.
 */
function starItems(
  source: SourceStep,
  partitionBy: readonly Expression[] | undefined,
): { name?: string; expression: Expression; aliased: boolean }[] {
  const ref = (name: string): Expression => ({ kind: 'ColumnRef', name });
  if (partitionBy === undefined || partitionBy.some((e) => e.kind === 'NullLiteral')) {
    const columns =
      partitionBy === undefined
        ? [...source.keyColumns, ...source.valueColumns]
        : [...source.valueColumns, ...source.keyColumns];
    return [...columns, ...source.headerColumns].map((c) => ({
      name: c.name,
      expression: ref(c.name),
      aliased: false,
    }));
  }
  const keyNames = new Set(partitionBy.flatMap((e) => (e.kind === 'ColumnRef' ? [e.name] : [])));
  const keys = partitionBy.map((e) => {
    const name = derivedName(e);
    return name === undefined ? { expression: e, aliased: false } : { name, expression: e, aliased: false };
  });
  const rest = [...source.valueColumns, ...source.keyColumns, ...source.headerColumns]
    .filter((c) => !keyNames.has(c.name))
    .map((c) => ({ name: c.name, expression: ref(c.name), aliased: false }));
  return [...keys, ...rest];
}

function selectType(expression: Expression, scope: ColumnScope, registry: FunctionRegistry): SqlType {
  if (
    expression.kind === 'ColumnRef' &&
    scope.resolveColumn(expression.source, expression.name) === undefined
  ) {
    const name =
      expression.source === undefined ? expression.name : `${expression.source}.${expression.name}`;
    throw new StatementError(`SELECT column '${name}' cannot be resolved.`);
  }
  if (expression.kind === 'NullLiteral') return SqlTypes.STRING;
  try {
    return compileExpression(expression, scope, registry, { clause: 'SELECT' }).type;
  } catch (err) {
    if (err instanceof ExpressionCompileError && err.phase === 'code-generation') {
      throw new StatementError(
        `Invalid Select: ${err.message}`,
        err.location ? { location: err.location } : {},
      );
    }
    throw err;
  }
}

function projectFor(
  items: readonly OutputItem[],
  source: SourceStep,
  query: Query,
  scope: ColumnScope,
  registry: FunctionRegistry,
  sinkName: string | undefined,
): ProjectStep {
  const isKeyRef = (e: Expression, keyName: string) =>
    e.kind === 'ColumnRef' && e.name === keyName && scope.resolveColumn(e.source, e.name) !== undefined;
  const keyExpressions: readonly Expression[] =
    query.partitionBy === undefined
      ? source.keyColumns.map((c) => ({ kind: 'ColumnRef', name: c.name }) as Expression)
      : partitionExpressions(query.partitionBy, scope, registry);
  const sameExpression = (a: Expression, b: Expression) =>
    query.partitionBy === undefined
      ? b.kind === 'ColumnRef' && isKeyRef(a, b.name)
      : formatExpression(stripQualifier(a)) === formatExpression(stripQualifier(b));

  const keyItems: OutputItem[] = [];
  const missing: Expression[] = [];
  for (const keyExpression of keyExpressions) {
    const matches = items.filter((i) => sameExpression(i.expression, keyExpression));
    if (matches.length > 1) {
      throw new StatementError(
        `The projection contains a key column (\`${keyName(keyExpression)}\`) more than once, aliased as: ${matches.map((m) => m.name).join(' and ')}.`,
      );
    }
    if (matches.length === 0) missing.push(keyExpression);
    else keyItems.push(matches[0]!);
  }
  const target = sinkName === undefined ? 'OUTPUT' : sinkName;
  if (
    query.partitionBy !== undefined &&
    missing.length > 0 &&
    !(keyExpressions.length === 1 && keyExpressions[0]!.kind === 'NullLiteral')
  ) {
    // ksqlDB names every partitioning expression when any is missing.
    const all = keyExpressions.map((e) => qualifiedText(e, source));
    const what = all.length === 1 ? 'expression' : 'expressions';
    const list = joinAnd(all);
    throw new StatementError(
      `The query used to build \`${target}\` must include the partitioning ${what} ${list} in its projection (eg, SELECT ${all.join(', ')}...).`,
    );
  }
  if (query.partitionBy === undefined && missing.length > 0 && keyItems.length > 0) {
    const all = keyExpressions.map(keyName);
    throw new StatementError(
      `The query used to build \`${target}\` must include the key column${all.length > 1 ? 's' : ''} ${joinAnd(all)} in its projection (eg, SELECT ${all.join(', ')}...).`,
    );
  }
  // Key columns come in the order of PARTITION BY, else in the order the projection lists them.
  if (query.partitionBy === undefined) keyItems.sort((a, b) => items.indexOf(a) - items.indexOf(b));
  if (query.partitionBy === undefined && keyItems.length === 0) {
    const shadowed = keyExpressions.find((k) => items.some((i) => i.name === keyName(k)));
    if (shadowed !== undefined) {
      const name = keyName(shadowed);
      throw new StatementError(
        `The query used to build \`${target}\` must include the key column ${name} in its projection (eg, SELECT ${name}...).`,
      );
    }
  }
  const keySet = new Set(keyItems);
  const valueItems = items.filter((i) => !keySet.has(i));
  if (valueItems.length === 0) throw new StatementError('The projection contains no value columns.');
  const seen = new Set<string>();
  for (const i of [...keyItems, ...valueItems]) {
    if (seen.has(i.name)) throw new StatementError(`Duplicate column name: \`${i.name}\``);
    seen.add(i.name);
  }
  return {
    kind: 'Project',
    keyFromSource: query.partitionBy === undefined,
    key: keyItems.map((i) => ({ column: { name: i.name, type: i.type }, expression: i.expression })),
    value: valueItems.map((i) => ({ column: { name: i.name, type: i.type }, expression: i.expression })),
  };
}

function partitionExpressions(
  expressions: readonly Expression[],
  scope: ColumnScope,
  registry: FunctionRegistry,
): readonly Expression[] {
  if (expressions.length === 0) throw new StatementError('PARTITION BY requires at least one expression');
  if (expressions.length > 1 && expressions.some((e) => e.kind === 'NullLiteral')) {
    throw new StatementError('Cannot PARTITION BY multiple columns including NULL');
  }
  for (const e of expressions) {
    if (e.kind === 'ColumnRef' && scope.resolveColumn(e.source, e.name) === undefined) {
      throw new StatementError(
        `PARTITION BY column '${e.name}' cannot be resolved. '${e.name}' must be a column in the source schema since PARTITION BY is applied on the input.`,
      );
    }
    if (e.kind !== 'NullLiteral') compileExpression(e, scope, registry, { clause: 'PARTITION BY' });
  }
  if (expressions.length === 1 && expressions[0]!.kind === 'NullLiteral') return [];
  return expressions;
}

function stripQualifier(e: Expression): Expression {
  return e.kind === 'ColumnRef' && e.source !== undefined ? { kind: 'ColumnRef', name: e.name } : e;
}

function keyName(e: Expression): string {
  return e.kind === 'ColumnRef' ? e.name : formatExpression(e);
}

/** ksqlDB names partitioning expressions with the source qualified: INPUT.ID, ABS(INPUT.ID). */
function qualifiedText(e: Expression, source: SourceStep): string {
  const qualifier = source.qualifiers[0]!;
  const qualify = (x: Expression): Expression => {
    switch (x.kind) {
      case 'ColumnRef':
        return { ...x, source: x.source ?? qualifier };
      case 'FunctionCall':
        return { ...x, args: x.args.map(qualify) };
      case 'ArithmeticBinary':
        return { ...x, left: qualify(x.left), right: qualify(x.right) };
      case 'Dereference':
        return { ...x, base: qualify(x.base) };
      default:
        return x;
    }
  };
  return formatExpression(qualify(e));
}

function joinAnd(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
