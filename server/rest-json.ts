/**
 * JSON text as ksqlDB's REST API writes it: result rows with REST value rendering (BIGINT and
 * DECIMAL as exact numbers, DOUBLE as Java prints it, BYTES base64, DATE/TIME/TIMESTAMP as ISO
 * text, STRUCT and MAP as objects), column types in ksqlDB's type syntax, and entities whose
 * numbers may be bigints.
 */
import { stringify } from 'lossless-json';
import { formatType, quoteIdentifier } from '../engine/catalog/types.js';
import { stringifyJson, valueToJson } from '../engine/catalog/value-json.js';
import type { SqlValue } from '../engine/catalog/values.js';
import type { PlanColumn } from '../engine/plan/physical-plan.js';

/** Compact JSON of any response body; bigints are written as exact numbers. */
export function jsonText(body: unknown): string {
  return stringify(body) ?? 'null';
}

/** A result row as a JSON array in the column order. */
export function rowJsonText(columns: readonly PlanColumn[], values: readonly SqlValue[]): string {
  return stringifyJson(columns.map((column, i) => valueToJson(column.type, values[i] ?? null, 'rest')));
}

/**
 * ksqlDB's LogicalSchema text of the result columns: `` `PAGE` STRING, `MS` INTEGER ``; a pull
 * query over a table marks its key columns `` `ID` STRING KEY ``.
 */
export function schemaText(columns: readonly (PlanColumn & { readonly key?: boolean })[]): string {
  return columns
    .map((c) => `${quoteIdentifier(c.name)} ${formatType(c.type)}${c.key === true ? ' KEY' : ''}`)
    .join(', ');
}

export function columnTypeNames(columns: readonly PlanColumn[]): string[] {
  return columns.map((c) => formatType(c.type));
}
