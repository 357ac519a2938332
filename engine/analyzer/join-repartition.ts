/**
 * Which sides of a join are re-keyed through a repartition topic, as ksqlDB decides it:
 * a stream side whose join expression is not its key column (a value column, an expression,
 * a keyless source), and the right stream of a key-to-key join whose key format differs from
 * the left's (the same key hashes to another partition in another format).
 *
 * Each re-keyed side is named as ksqlDB names the node (`Join-left`, `Join-right` in a
 * stream-stream join, `Join` for the stream of a stream-table join, prefixed `L_` once per
 * join that follows in an n-way join), and its key takes the other side's key format, so a
 * re-keyed record lands in the partition the other side's records of that key are in.
 */
import type { Expression } from '../../parser/ast.js';
import type { DataSource, FormatInfo } from '../catalog/data-source.js';
import { SqlTypes } from '../catalog/types.js';
import { StatementError } from '../errors.js';
import { compileExpression } from '../expr/compile.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { JoinSource, JoinStep, RepartitionStep } from '../plan/join-plan.js';
import type { JoinScope } from '../plan/join-scope.js';

export const WINDOWED_REPARTITION_MESSAGE =
  'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.';

/** The key column the repartition topic's records are keyed by. */
const REPARTITION_KEY = 'JOIN_KEY';

export function planJoinRepartitions(
  sources: readonly JoinSource[],
  dataSources: readonly DataSource[],
  joins: readonly JoinStep[],
  scope: JoinScope,
  registry: FunctionRegistry,
): JoinSource[] {
  const onKey = (source: number, e: Expression): boolean => {
    if (e.kind !== 'ColumnRef') return false;
    const resolved = scope.resolve(e.source, e.name);
    const key = dataSources[source]!.schema.key;
    return resolved?.source === source && key.length === 1 && key[0]!.name === resolved.name;
  };
  const keyed = (s: DataSource) => s.keyFormat.format !== 'NONE';
  const result = [...sources];
  for (const [i, join] of joins.entries()) {
    if (join.mode === 'FOREIGN_KEY') continue;
    const prefix = `${'L_'.repeat(joins.length - 1 - i)}Join`;
    const right = i + 1;
    const rightData = dataSources[right]!;
    const leftData = dataSources[0]!;
    // Only the first join's left side is a source; a later join's left side is the result so far.
    const leftMoves = i === 0 && leftData.kind === 'STREAM' && !onKey(0, join.leftKey);
    let rightMoves = rightData.kind === 'STREAM' && !onKey(right, join.rightKey);
    if (
      !leftMoves &&
      !rightMoves &&
      i === 0 &&
      rightData.kind === 'STREAM' &&
      leftData.keyFormat.format !== rightData.keyFormat.format
    ) {
      rightMoves = true;
    }
    const moving: [number, Expression, FormatInfo | undefined, string][] = [];
    // The re-keyed side takes the other side's key format; both re-keyed: the left's, else
    // the right's, else the default.
    const otherFormat = (mine: DataSource, other: DataSource, otherMoves: boolean) =>
      !otherMoves && keyed(other)
        ? other.keyFormat
        : keyed(leftData)
          ? leftData.keyFormat
          : keyed(rightData)
            ? rightData.keyFormat
            : keyed(mine) && otherMoves
              ? mine.keyFormat
              : undefined;
    // A stream-table join re-keys only its stream (left) side.
    const name = (side: 'left' | 'right') => (join.mode === 'STREAM_STREAM' ? `${prefix}-${side}` : prefix);
    if (leftMoves) moving.push([0, join.leftKey, otherFormat(leftData, rightData, rightMoves), name('left')]);
    // A later join's left side is keyed like the first source (approximately: its format).
    if (rightMoves)
      moving.push([right, join.rightKey, otherFormat(rightData, leftData, leftMoves), name('right')]);
    for (const [source, key, keyFormat, nodeName] of moving) {
      const data = dataSources[source]!;
      if (data.keyFormat.window !== undefined) throw new StatementError(WINDOWED_REPARTITION_MESSAGE);
      const type = compileExpression(key, scope, registry, { clause: 'JOIN ON' }).type ?? SqlTypes.STRING;
      const others =
        moving.length === 2 ? [sources[0]!, sources[right]!] : [sources[source === 0 ? right : 0]!];
      const repartition: RepartitionStep = {
        kind: 'Repartition',
        name: nodeName,
        key,
        keyColumn: { name: REPARTITION_KEY, type },
        ...(keyFormat === undefined ? {} : { keyFormat: unwindowed(keyFormat) }),
        partitionsLike: others.map((s) => s.step.topic),
      };
      result[source] = { ...result[source]!, repartition };
    }
  }
  return result;
}

/** The repartition topic of a node: `_confluent-ksql-<service id>query_<query id>-<name>-repartition`. */
export function repartitionTopicName(serviceId: string, queryId: string, name: string): string {
  return `_confluent-ksql-${serviceId}query_${queryId}-${name}-repartition`;
}

function unwindowed(format: FormatInfo): FormatInfo {
  const { window: _window, ...rest } = format as FormatInfo & { window?: unknown };
  return rest;
}
