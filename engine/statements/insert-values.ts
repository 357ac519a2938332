/**
 * INSERT INTO source [(columns)] VALUES (...): one record, encoded with the source's formats.
 * Values are expressions without columns; each is converted to its column's type.
 */
import type { InsertValues } from '../../parser/ast.js';
import { formatExpression } from '../../parser/format.js';
import type { DataSource } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { canImplicitlyCast } from '../catalog/type-rules.js';
import { formatType, type SqlType } from '../catalog/types.js';
import { coerceValue } from '../catalog/value-coerce.js';
import type { SqlValue } from '../catalog/values.js';
import { StatementError } from '../errors.js';
import { compileExpression } from '../expr/compile.js';
import type { FunctionRegistry } from '../expr/functions/function-types.js';
import type { ProducerRecord } from '../log/log.js';
import { ColumnScope } from '../plan/column-scope.js';
import { keySerde, valueSerde } from './source-formats.js';

export function recordForInsertValues(
  statement: InsertValues,
  metastore: MetaStore,
  registry: FunctionRegistry,
): { source: DataSource; record: ProducerRecord } {
  const source = metastore.source(statement.target);
  if (source === undefined) {
    throw new StatementError(
      `Cannot insert values into an unknown stream/table: \`${statement.target}\`${caseHint(statement.target, metastore)}`,
    );
  }
  if (source.isSource) {
    throw new StatementError(
      `Cannot insert values into read-only ${source.kind === 'STREAM' ? 'stream' : 'table'}: ${source.name}`,
    );
  }
  const schema = source.schema;
  const headerNames = schema.headers.map((c) => c.name);
  const columns =
    statement.columns.length > 0
      ? statement.columns
      : ['ROWTIME', ...schema.columns.filter((c) => c.namespace !== 'HEADERS').map((c) => c.name)].slice(
          statement.values.length === schema.key.length + schema.value.length ? 1 : 0,
        );
  const headerTargets = (statement.columns.length === 0 ? headerNames : columns).filter((c) =>
    headerNames.includes(c),
  );
  if (headerTargets.length > 0)
    throw new StatementError(`Cannot insert into HEADER columns: ${headerTargets.join(', ')}`);
  if (columns.length !== statement.values.length) {
    throw new StatementError(
      `Expected a value for each column. Expected Columns: [${columns.join(', ')}]. Got ${statement.values.map(formatExpression).join(', ')}`,
    );
  }
  const noColumns = new ColumnScope([], []);
  const byName = new Map<string, SqlValue>();
  columns.forEach((name, i) => {
    const expression = statement.values[i]!;
    const target: SqlType | undefined = name === 'ROWTIME' ? { kind: 'BIGINT' } : schema.find(name)?.type;
    if (target === undefined) throw new StatementError(`Column name ${name} does not exist.`);
    const compiled = compileExpression(expression, noColumns, registry);
    const value = compiled.evaluate([]);
    if (value !== null && !canImplicitlyCast(compiled.type, target) && compiled.type.kind !== target.kind) {
      throw new StatementError(
        `Expected type ${formatType(target)} for field ${name} but got ${formatExpression(expression)}(${formatType(compiled.type)})`,
      );
    }
    byName.set(name, value === null ? null : coerceValue(value, compiled.type, target));
  });
  const key = schema.key.map((c) => byName.get(c.name) ?? null);
  const value = schema.value.map((c) => byName.get(c.name) ?? null);
  const rowtime = byName.get('ROWTIME');
  const record: ProducerRecord = {
    key: schema.key.length === 0 ? null : keySerde(schema, source.keyFormat).serialize(key),
    value: valueSerde(schema, source.valueFormat).serialize(value),
  };
  if (rowtime !== undefined && rowtime !== null) record.timestamp = Number(rowtime);
  return { source, record };
}

/** ksqlDB's hint when a source of that name exists in another case. */
function caseHint(name: string, metastore: MetaStore): string {
  const other = metastore.allSources().find((s) => s.name.toUpperCase() === name.toUpperCase());
  if (other === undefined) return '';
  return other.name === other.name.toUpperCase()
    ? `\nDid you mean ${other.name}? Hint: try removing double quotes from the source name.`
    : `\nDid you mean "${other.name}"? Hint: wrap the source name in double quotes to make it case-sensitive.`;
}
