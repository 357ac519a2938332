/**
 * PARTITION BY over a join: the joined rows are keyed by the partitioning expressions
 * instead of the join key, as ksqlDB re-keys them before its sink. Each expression must be
 * selected (its column becomes the key); `PARTITION BY NULL` writes records without a key.
 * Nothing is written to an internal topic: the sink's own partitioner places the re-keyed
 * records, as in ksqlDB, where PARTITION BY over a join creates no repartition topic.
 */
import type { Expression } from '../../parser/ast.js';
import { StatementError, UnsupportedStatementError } from '../errors.js';
import { compileExpression } from '../expr/compile.js';
import { expressionText } from '../expr/expression-text.js';
import { rewriteExpression } from '../expr/expression-walk.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { JoinScope } from '../plan/join-scope.js';
import type { ProjectStep } from '../plan/physical-plan.js';

export interface JoinProjectionItem {
  readonly name: string;
  readonly expression: Expression;
  readonly type: import('../catalog/types.js').SqlType;
}

export function checkJoinPartitionBy(
  resultKind: 'STREAM' | 'TABLE',
  partitionBy: readonly Expression[],
): void {
  if (resultKind === 'TABLE') {
    throw new UnsupportedStatementError(
      'table PARTITION BY',
      'PARTITION BY over a table is not supported yet.',
    );
  }
  if (partitionBy.length === 0) throw new StatementError('PARTITION BY requires at least one expression');
  if (partitionBy.length > 1 && partitionBy.some((e) => e.kind === 'NullLiteral')) {
    throw new StatementError('Cannot PARTITION BY multiple columns including NULL');
  }
}

/** The projection of a join re-keyed by `partitionBy`: the selected partitioning expressions, then the rest. */
export function projectJoinPartitioned(
  items: readonly JoinProjectionItem[],
  partitionBy: readonly Expression[],
  scope: JoinScope,
  registry: FunctionRegistry,
  sinkName: string,
): ProjectStep {
  const qualified = (e: Expression) =>
    rewriteExpression(e, (node) => (node.kind === 'ColumnRef' ? scope.qualify(node) : undefined));
  const text = (e: Expression) => expressionText(qualified(e));
  const indexOf = (e: Expression) =>
    e.kind === 'ColumnRef' ? scope.resolve(e.source, e.name)?.index : undefined;
  const keys = partitionBy.length === 1 && partitionBy[0]!.kind === 'NullLiteral' ? [] : partitionBy;
  for (const e of keys) {
    if (e.kind === 'ColumnRef' && scope.resolve(e.source, e.name) === undefined) {
      throw new StatementError(
        `PARTITION BY column '${e.name}' cannot be resolved. '${e.name}' must be a column in the source schema since PARTITION BY is applied on the input.`,
      );
    }
    compileExpression(e, scope, registry, { clause: 'PARTITION BY' });
  }
  const same = (item: Expression, key: Expression) => {
    const a = indexOf(item);
    const b = indexOf(key);
    if (a !== undefined || b !== undefined) return a === b;
    return text(item) === text(key);
  };
  const keyItems: JoinProjectionItem[] = [];
  const missing: Expression[] = [];
  for (const key of keys) {
    const matches = items.filter((i) => same(i.expression, key));
    if (matches.length > 1) {
      throw new StatementError(
        `The projection contains a key column (\`${text(key)}\`) more than once, aliased as: ${matches
          .map((m) => m.name)
          .sort()
          .join(' and ')}.`,
      );
    }
    if (matches.length === 0) missing.push(key);
    else keyItems.push(matches[0]!);
  }
  if (missing.length > 0) {
    const all = keys.map(text);
    const list = all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
    throw new StatementError(
      `The query used to build \`${sinkName}\` must include the partitioning expression${all.length > 1 ? 's' : ''} ${list} in its projection (eg, SELECT ${all.join(', ')}...).`,
    );
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
    key: keyItems.map((i) => ({ column: { name: i.name, type: i.type }, expression: i.expression })),
    value: value.map((i) => ({ column: { name: i.name, type: i.type }, expression: i.expression })),
  };
}
