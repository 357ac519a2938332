/**
 * EXPLAIN's execution plan text: one line per step, sink first, each step indented under the
 * one it feeds, in the shape ksqlDB prints its plans.
 */

import { formatType } from '../catalog/types.js';
import { expressionText } from '../expr/expression-text.js';
import type { PlanColumn, StreamPipelinePlan } from './physical-plan.js';

function columns(cols: readonly PlanColumn[]): string {
  return cols.map((c) => `${c.name} ${formatType(c.type)}`).join(', ');
}

export function explainPlan(plan: StreamPipelinePlan): string {
  const lines: string[] = [];
  const keyCols = plan.project.key.map((k) => k.column);
  const valueCols = plan.project.value.map((v) => v.column);
  const schema = [...keyCols.map((c) => `${c.name} ${formatType(c.type)} KEY`), columns(valueCols)]
    .filter((x) => x !== '')
    .join(', ');
  if (plan.sink !== undefined) {
    lines.push(
      `[ SINK ] | Schema: ${schema} | Topic: ${plan.sink.topic} | Key format: ${plan.sink.keyFormat.format} | Value format: ${plan.sink.valueFormat.format}`,
    );
  }
  const projections = [...plan.project.key, ...plan.project.value]
    .map((p) => `${expressionText(p.expression)} AS ${p.column.name}`)
    .join(', ');
  lines.push(`[ PROJECT ] | Schema: ${schema} | Expressions: ${projections}`);
  for (const step of [...plan.steps].reverse()) {
    lines.push(
      step.kind === 'Filter'
        ? `[ FILTER ] | Predicate: ${expressionText(step.predicate)}`
        : `[ FLAT_MAP ] | Functions: ${step.functions.map(expressionText).join(', ')}`,
    );
  }
  const source = plan.source;
  lines.push(
    `[ SOURCE ] | Schema: ${columns(source.columns)} | Topic: ${source.topic} | Key format: ${source.keyFormat.format} | Value format: ${source.valueFormat.format}`,
  );
  return lines.map((line, depth) => `${'\t\t'.repeat(depth)} > ${line}`).join('\n');
}
