/**
 * Plans a pull query (a top-level SELECT without EMIT) over a table or a stream: ksqlDB's
 * checks and messages, the output columns (key columns marked, as ksqlDB's pull headers mark
 * them), the compiled filter and projection, and the key lookups the WHERE clause allows.
 *
 * A table's rows come from its in-memory index: a WHERE that fixes every key column with `=`
 * or `IN` reads only those keys; anything else scans (when table scans are enabled, as they
 * are by default) and filters. The whole WHERE is always applied to the rows read, so the
 * lookup is only ever an optimisation.
 */
import type { Expression, Query, SelectItem } from '../../parser/ast.js';
import { formatExpression } from '../../parser/format-expression.js';
import { derivedName, SyntheticNames } from '../analyzer/select-names.js';
import { sourceStepFor } from '../analyzer/stream-query-planner.js';
import type { DataSource } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { isSystemColumnName, isWindowBoundColumnName } from '../catalog/schema.js';
import { formatType, quoteIdentifier, type SqlType, SqlTypes } from '../catalog/types.js';
import { coerceValue } from '../catalog/value-coerce.js';
import type { SqlValue } from '../catalog/values.js';
import type { EngineConfig } from '../config.js';
import { StatementError } from '../errors.js';
import { compileExpression } from '../expr/compile.js';
import { ExpressionCompileError } from '../expr/errors.js';
import { expressionText } from '../expr/expression-text.js';
import { walkExpression } from '../expr/expression-walk.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import { ColumnScope } from '../plan/column-scope.js';
import type { PlanColumn, SourceStep } from '../plan/physical-plan.js';
import { PullConfigKeys, pullMessages } from './messages.js';

/** A result column; `key` marks it KEY in the header of a table's pull query. */
export interface PullColumn extends PlanColumn {
  readonly key?: boolean;
}

export interface PullQueryPlan {
  readonly source: DataSource;
  readonly step: SourceStep;
  readonly columns: readonly PullColumn[];
  /** Keeps a source row (the whole WHERE); absent: every row. */
  readonly filter?: (row: readonly SqlValue[]) => boolean;
  readonly project: (row: readonly SqlValue[]) => SqlValue[];
  /** The key tuples to read, when the WHERE fixes every key column; absent: scan. */
  readonly keys?: readonly (readonly SqlValue[])[];
  readonly limit?: number;
}

const DISALLOWED_PSEUDO = new Set(['ROWPARTITION', 'ROWOFFSET']);

export function planPullQuery(
  query: Query,
  metastore: MetaStore,
  registry: FunctionRegistry,
  config: EngineConfig,
  isMaterialized: (name: string) => boolean,
): PullQueryPlan {
  if (query.from.kind === 'Join') throw new StatementError(pullMessages.unsupportedClause('JOIN'));
  if (query.window !== undefined) throw new StatementError(pullMessages.unsupportedClause('WINDOW'));
  if (query.groupBy !== undefined) throw new StatementError(pullMessages.unsupportedClause('GROUP BY'));
  if (query.having !== undefined) throw new StatementError(pullMessages.unsupportedClause('HAVING'));
  if (query.partitionBy !== undefined)
    throw new StatementError(pullMessages.unsupportedClause('PARTITION BY'));
  const relation = query.from;
  const source = metastore.source(relation.name);
  if (source === undefined) {
    const at = relation.location;
    const where = at === undefined ? '' : `Line: ${at.line}, Col: ${at.column}: `;
    throw new StatementError(`${where}Source \`${relation.name}\` does not exist.`);
  }
  if (source.kind === 'STREAM' && config.boolean(PullConfigKeys.STREAM_ENABLED) === false)
    throw new StatementError(pullMessages.streamPullDisabled());
  if (source.kind === 'TABLE' && !isMaterialized(source.name))
    throw new StatementError(pullMessages.notQueryable(source.name));
  if (query.limit !== undefined && config.boolean(PullConfigKeys.LIMIT_ENABLED) === false)
    throw new StatementError(pullMessages.limitDisabled());

  checkPseudoColumns(
    'SELECT',
    query.select.flatMap((i) => selectExpressions(i)),
  );
  if (query.where !== undefined) checkPseudoColumns('WHERE', [query.where]);

  const step = sourceStepFor(source, relation.alias);
  const windowed = source.keyFormat.window !== undefined;
  const scope = new ColumnScope(step.columns, step.qualifiers);
  const keyNames = new Set(step.keyColumns.map((c) => c.name));
  const table = source.kind === 'TABLE';

  let filter: PullQueryPlan['filter'];
  let keys: PullQueryPlan['keys'];
  if (query.where !== undefined) {
    if (!windowed) {
      walkExpression(query.where, (node) => {
        if (node.kind === 'ColumnRef' && isWindowBoundColumnName(node.name))
          throw new StatementError(pullMessages.windowBoundsNotWindowed(node.name));
      });
    }
    const where = windowed ? windowBoundTexts(query.where) : query.where;
    if (table) keys = keyAccess(where, step, registry, config, windowed);
    const predicate = compileWhere(where, scope, registry);
    filter = (row) => predicate.evaluate(row) === true;
  } else if (table && config.boolean(PullConfigKeys.TABLE_SCAN_ENABLED) === false) {
    throw new StatementError(pullMessages.tableScanDisabled());
  }

  const items = expandSelect(query.select, step, scope, registry, windowed);
  const compiled = items.map((i) => compileSelect(i.expression, scope, registry));
  const columns: PullColumn[] = items.map((item, i) => {
    const e = item.expression;
    const key =
      table &&
      e.kind === 'ColumnRef' &&
      (keyNames.has(e.name) || (windowed && isWindowBoundColumnName(e.name)));
    return key
      ? { name: item.name, type: compiled[i]!.type, key: true }
      : { name: item.name, type: compiled[i]!.type };
  });
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) {
      throw new StatementError(
        `Duplicate value columns found in schema: ${quoteIdentifier(c.name)} ${formatType(c.type)}`,
      );
    }
    seen.add(c.name);
  }
  const evaluators = compiled.map((c) => c.evaluate);
  const project = (row: readonly SqlValue[]) => evaluators.map((evaluate) => evaluate(row));
  return {
    source,
    step,
    columns,
    ...(filter === undefined ? {} : { filter }),
    project,
    ...(keys === undefined ? {} : { keys }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  };
}

function selectExpressions(item: SelectItem): Expression[] {
  if (item.kind === 'SingleColumn') return [item.expression];
  if (item.kind === 'AllStructFields') return [item.base];
  return [];
}

function checkPseudoColumns(clause: 'SELECT' | 'WHERE', expressions: readonly Expression[]): void {
  const found: string[] = [];
  for (const e of expressions) {
    walkExpression(e, (node) => {
      if (node.kind === 'ColumnRef' && DISALLOWED_PSEUDO.has(node.name) && !found.includes(node.name))
        found.push(node.name);
    });
  }
  if (found.length > 0) throw new StatementError(pullMessages.disallowedColumns(clause, found));
}

function compileWhere(where: Expression, scope: ColumnScope, registry: FunctionRegistry) {
  let compiled: ReturnType<typeof compileExpression>;
  try {
    compiled = compileExpression(where, scope, registry, { clause: 'WHERE' });
  } catch (err) {
    if (err instanceof ExpressionCompileError) {
      const prefix = err.phase === 'code-generation' ? 'Invalid Predicate: ' : 'Error in WHERE expression: ';
      throw new StatementError(`${prefix}${err.message}\nStatement: ${expressionText(where)}`);
    }
    throw err;
  }
  if (compiled.type.kind !== 'BOOLEAN') {
    throw new StatementError(
      `Type error in WHERE expression: Should evaluate to boolean but is ${formatExpression(where)} (${formatType(compiled.type)}) instead.`,
    );
  }
  return compiled;
}

function compileSelect(expression: Expression, scope: ColumnScope, registry: FunctionRegistry) {
  if (expression.kind === 'NullLiteral') return { type: SqlTypes.STRING, evaluate: () => null };
  if (
    expression.kind === 'ColumnRef' &&
    scope.resolveColumn(expression.source, expression.name) === undefined
  ) {
    const name =
      expression.source === undefined ? expression.name : `${expression.source}.${expression.name}`;
    throw new StatementError(`SELECT column '${name}' cannot be resolved.`);
  }
  try {
    return compileExpression(expression, scope, registry, { clause: 'SELECT' });
  } catch (err) {
    if (err instanceof ExpressionCompileError && err.phase === 'code-generation')
      throw new StatementError(`Invalid Select: ${err.message}`);
    throw err;
  }
}

interface SelectedItem {
  readonly name: string;
  readonly expression: Expression;
}

/** `*` is the key columns, the window bounds of a windowed table, then the value columns. */
function expandSelect(
  select: readonly SelectItem[],
  step: SourceStep,
  scope: ColumnScope,
  registry: FunctionRegistry,
  windowed: boolean,
): SelectedItem[] {
  const ref = (name: string): Expression => ({ kind: 'ColumnRef', name });
  const items: { name?: string; expression: Expression; aliased: boolean }[] = [];
  for (const item of select) {
    switch (item.kind) {
      case 'AllColumns': {
        if (item.source !== undefined && !step.qualifiers.includes(item.source))
          throw new StatementError(`'${item.source}' is not a valid stream/table name or alias.`);
        const names = [
          ...step.keyColumns.map((c) => c.name),
          ...(windowed && step.sourceKind === 'TABLE' ? ['WINDOWSTART', 'WINDOWEND'] : []),
          ...step.valueColumns.map((c) => c.name),
        ];
        for (const name of names) items.push({ name, expression: ref(name), aliased: false });
        break;
      }
      case 'AllStructFields': {
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
        const name = item.alias ?? derivedName(item.expression);
        items.push(
          name === undefined
            ? { expression: item.expression, aliased: false }
            : { name, expression: item.expression, aliased: item.alias !== undefined },
        );
        break;
      }
    }
  }
  const taken = new Set([
    ...step.columns.map((c) => c.name),
    ...items.flatMap((i) => (i.name === undefined ? [] : [i.name])),
  ]);
  const names = new SyntheticNames(taken);
  return items.map((i) => ({ name: i.name ?? names.take(), expression: i.expression }));
}

/**
 * ksqlDB lets a windowed pull query bound WINDOWSTART/WINDOWEND with timestamp text
 * ('2020-02-23T23:45:12.000', with an optional zone offset): such literals become epoch ms.
 */
function windowBoundTexts(where: Expression): Expression {
  const rewrite = (e: Expression): Expression => {
    if (e.kind === 'Logical') return { ...e, left: rewrite(e.left), right: rewrite(e.right) };
    if (e.kind !== 'Comparison') return e;
    const bound = (x: Expression) => x.kind === 'ColumnRef' && isWindowBoundColumnName(x.name);
    const asMillis = (x: Expression): Expression => {
      if (x.kind !== 'StringLiteral') return x;
      const ms = parseTimestampText(x.value);
      return ms === undefined ? x : ({ kind: 'BigIntLiteral', value: BigInt(ms) } as Expression);
    };
    if (bound(e.left)) return { ...e, right: asMillis(e.right) };
    if (bound(e.right)) return { ...e, left: asMillis(e.left) };
    return e;
  };
  return rewrite(where);
}

/** ISO-8601 date-time text, possibly partial (`2020-02-22T23:45`, `2020-02-24T24`), UTC unless it names an offset. */
export function parseTimestampText(text: string): number | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', zone] = m;
  let t = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(ms.padEnd(3, '0')),
  );
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Key access: which keys the WHERE clause fixes, and ksqlDB's rules when table scans are off.

interface KeyBound {
  readonly column: number;
  readonly kind: 'equal' | 'in' | 'range' | 'notEqual';
  readonly values: readonly Expression[];
  readonly text: string;
}

function conjuncts(e: Expression): Expression[] {
  return e.kind === 'Logical' && e.operator === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function disjuncts(e: Expression): Expression[] {
  return e.kind === 'Logical' && e.operator === 'OR' ? [...disjuncts(e.left), ...disjuncts(e.right)] : [e];
}

function referencesColumns(e: Expression): boolean {
  let found = false;
  walkExpression(e, (node) => {
    if (node.kind === 'ColumnRef') found = true;
  });
  return found;
}

function keyAccess(
  where: Expression,
  step: SourceStep,
  registry: FunctionRegistry,
  config: EngineConfig,
  windowed: boolean,
): readonly (readonly SqlValue[])[] | undefined {
  const scanEnabled = config.boolean(PullConfigKeys.TABLE_SCAN_ENABLED) !== false;
  const rangeEnabled = config.boolean(PullConfigKeys.RANGE_SCAN_ENABLED) !== false;
  const keyIndex = (e: Expression) =>
    e.kind === 'ColumnRef' ? step.keyColumns.findIndex((c) => c.name === e.name) : -1;
  const keyText = (i: number) =>
    `${quoteIdentifier(step.keyColumns[i]!.name)} ${formatType(step.keyColumns[i]!.type)} KEY`;
  const refersToKey = (e: Expression) => {
    let found = false;
    walkExpression(e, (node) => {
      if (keyIndex(node) >= 0) found = true;
    });
    return found;
  };

  const parts = disjuncts(where);
  let needsScan = parts.length > 1;
  let lookup: SqlValue[][][] | undefined;
  for (const part of parts) {
    const bounds: KeyBound[] = [];
    for (const c of conjuncts(part)) {
      if (c.kind === 'Comparison') {
        const left = keyIndex(c.left);
        const right = keyIndex(c.right);
        const column = left >= 0 ? left : right;
        if (column < 0) {
          if (!scanEnabled && (refersToKey(c.left) || refersToKey(c.right)))
            throw new StatementError(pullMessages.keyNotDirect());
          continue;
        }
        const other = left >= 0 ? c.right : c.left;
        if (other.kind === 'NullLiteral') throw new StatementError(pullMessages.nullKey(expressionText(c)));
        if (referencesColumns(other)) {
          if (!scanEnabled) throw new StatementError(pullMessages.keyNotResolvable());
          continue;
        }
        const kind = c.operator === '=' ? 'equal' : c.operator === '<>' ? 'notEqual' : 'range';
        bounds.push({ column, kind, values: [other], text: expressionText(c) });
      } else if (c.kind === 'InList' && !c.negated && keyIndex(c.value) >= 0) {
        const column = keyIndex(c.value);
        for (const item of c.list) {
          if (item.kind === 'NullLiteral') {
            throw new StatementError(
              pullMessages.nullKey(
                expressionText({ kind: 'Comparison', operator: '=', left: c.value, right: item }),
              ),
            );
          }
          checkInListItem(item, step.keyColumns[column]!, keyText(column));
        }
        if (c.list.some(referencesColumns)) {
          if (!scanEnabled) throw new StatementError(pullMessages.keyNotResolvable());
          continue;
        }
        bounds.push({ column, kind: 'in', values: c.list, text: expressionText(c) });
      } else if (!scanEnabled && refersToKey(c) && c.kind !== 'Between') {
        // LIKE, IS NULL and other predicates over the key: filters of a scan.
        throw new StatementError(pullMessages.tableScanDisabled());
      }
    }
    const byColumn = new Map<number, KeyBound[]>();
    for (const b of bounds) byColumn.set(b.column, [...(byColumn.get(b.column) ?? []), b]);
    if (!scanEnabled) {
      for (const [column, list] of byColumn) {
        if (list.length > 1) throw new StatementError(pullMessages.keyCombined());
        if (list[0]!.kind === 'notEqual')
          throw new StatementError(pullMessages.keyBoundNotEquals(keyText(column)));
      }
      if (byColumn.size === 0) {
        if (step.keyColumns.length > 1) throw new StatementError(pullMessages.multiColumnKeys());
        throw new StatementError(pullMessages.missingKeyInDisjunct(expressionText(part)));
      }
      if (byColumn.size < step.keyColumns.length) throw new StatementError(pullMessages.multiColumnKeys());
      const ranged = [...byColumn.values()].some((l) => l[0]!.kind === 'range');
      if (ranged && (!rangeEnabled || windowed || step.keyColumns.length > 1)) needsScan = true;
    }
    // The keys to read: every key column fixed by one `=` or `IN` of constant values.
    const fixed = step.keyColumns.map((_, i) =>
      (byColumn.get(i) ?? []).find((b) => b.kind === 'equal' || b.kind === 'in'),
    );
    if (lookup !== undefined || parts.length > 1 || fixed.some((b) => b === undefined)) continue;
    const valueSets: SqlValue[][] = [];
    for (const [i, bound] of fixed.entries()) {
      const values = keyValues(bound!.values, step.keyColumns[i]!.type, registry);
      if (values === undefined) {
        lookup = undefined;
        break;
      }
      valueSets.push(values);
    }
    if (valueSets.length === step.keyColumns.length) lookup = [cartesian(valueSets)];
  }
  if (needsScan && !scanEnabled) throw new StatementError(pullMessages.tableScanDisabled());
  return lookup?.[0];
}

function checkInListItem(item: Expression, key: PlanColumn, keyText: string): void {
  const numericKey = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL'].includes(key.type.kind);
  if (numericKey && item.kind === 'StringLiteral' && Number.isNaN(Number(item.value)))
    throw new StatementError(pullMessages.keyConversion(item.value, keyText));
  if (numericKey && item.kind === 'StringLiteral')
    throw new StatementError(pullMessages.keyConversion(item.value, keyText));
}

/** The constant values, coerced to the key's type; undefined when one cannot be (then: scan). */
function keyValues(
  expressions: readonly Expression[],
  type: SqlType,
  registry: FunctionRegistry,
): SqlValue[] | undefined {
  const empty = new ColumnScope([], []);
  const values: SqlValue[] = [];
  for (const e of expressions) {
    try {
      const compiled = compileExpression(e, empty, registry, {});
      const value = compiled.evaluate([]);
      if (value === null) return undefined;
      values.push(compiled.type.kind === type.kind ? value : coerceValue(value, compiled.type, type));
    } catch {
      return undefined;
    }
  }
  return values;
}

function cartesian(sets: readonly SqlValue[][]): SqlValue[][] {
  let out: SqlValue[][] = [[]];
  for (const set of sets) out = out.flatMap((prefix) => set.map((v) => [...prefix, v]));
  return out;
}
