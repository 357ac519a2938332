/** EXPLAIN's execution plan text for a join query, in the shape of explain.ts. */
import { formatType } from '../catalog/types.js';
import { expressionText } from '../expr/expression-text.js';
import type { JoinPipelinePlan } from './join-plan.js';
import { JOIN_KEY_SLOT } from './join-scope.js';
import type { PlanColumn } from './physical-plan.js';

function columns(cols: readonly PlanColumn[]): string {
  return cols.map((c) => `${c.name} ${formatType(c.type)}`).join(', ');
}

const JOIN_NAMES = { INNER: 'INNER', LEFT: 'LEFT', RIGHT: 'RIGHT', FULL: 'OUTER' } as const;

export function explainJoinPlan(plan: JoinPipelinePlan): string {
  const lines: { depth: number; text: string }[] = [];
  const keyCols = plan.project.key.map((k) => k.column);
  const schema = [
    ...keyCols.map((c) => `${c.name} ${formatType(c.type)} KEY`),
    columns(plan.project.value.map((v) => v.column)),
  ]
    .filter((x) => x !== '')
    .join(', ');
  let depth = 0;
  if (plan.sink !== undefined) {
    lines.push({
      depth: depth++,
      text: `[ SINK ] | Schema: ${schema} | Topic: ${plan.sink.topic} | Key format: ${plan.sink.keyFormat.format} | Value format: ${plan.sink.valueFormat.format}`,
    });
  }
  const text = (e: Parameters<typeof expressionText>[0]) =>
    e.kind === 'ColumnRef' && e.name === JOIN_KEY_SLOT ? 'JOIN_KEY' : expressionText(e);
  const projections = [...plan.project.key, ...plan.project.value]
    .map((p) => `${text(p.expression)} AS ${p.column.name}`)
    .join(', ');
  lines.push({ depth: depth++, text: `[ PROJECT ] | Schema: ${schema} | Expressions: ${projections}` });
  for (const step of [...plan.steps].reverse()) {
    lines.push({ depth: depth++, text: `[ FILTER ] | Predicate: ${expressionText(step.predicate)}` });
  }
  // The last join first; each join's left input is the join before it, its right a source.
  for (let i = plan.joins.length - 1; i >= 0; i--) {
    const join = plan.joins[i]!;
    const within =
      join.window === undefined
        ? ''
        : ` | Within: (${join.window.beforeMs} ms, ${join.window.afterMs} ms)${join.window.graceMs === undefined ? '' : ` grace ${join.window.graceMs} ms`}`;
    lines.push({
      depth,
      text: `[ ${join.mode.replace('_', '-')} ${JOIN_NAMES[join.joinKind]} JOIN ] | On: ${expressionText(join.leftKey)} = ${expressionText(join.rightKey)}${within}`,
    });
    const right = plan.sources[i + 1]!.step;
    lines.push({
      depth: depth + 1,
      text: `[ SOURCE ] | Schema: ${columns(right.columns)} | Topic: ${right.topic} | Key format: ${right.keyFormat.format} | Value format: ${right.valueFormat.format}`,
    });
    depth++;
  }
  const first = plan.sources[0]!.step;
  lines.push({
    depth,
    text: `[ SOURCE ] | Schema: ${columns(first.columns)} | Topic: ${first.topic} | Key format: ${first.keyFormat.format} | Value format: ${first.valueFormat.format}`,
  });
  return lines.map((l) => `${'\t\t'.repeat(l.depth)} > ${l.text}`).join('\n');
}
