/**
 * The JSON format (schema from the DDL, no Schema Registry).
 *
 * - A value is a JSON object with one field per column; object keys match column names
 *   ignoring case (an exact match wins). With WRAP_SINGLE_VALUE=false a single value column
 *   is the bare JSON value (`10`, `"a"`, `[1]`).
 * - A single key column is always bare; several key columns form an object.
 * - Types map as in engine/catalog/value-json.ts (DECIMAL as a number at its scale, BYTES as
 *   base64, DATE/TIME/TIMESTAMP as numbers); MAP keys must be STRING.
 */

import type { SqlType } from '../catalog/types.js';
import { type StructType, structType } from '../catalog/types.js';
import { type JsonNode, jsonToValue, parseJson, stringifyJson, valueToJson } from '../catalog/value-json.js';
import type { SqlStruct, SqlValue } from '../catalog/values.js';
import { SerdeError } from './errors.js';
import {
  checkNoDelimiter,
  checkNoMapKeys,
  checkWrapping,
  type Format,
  isNullKey,
  type PersistedColumn,
  type RowSerde,
  type SerdeOptions,
  type SerdeTarget,
  schemaNotSupported,
} from './format.js';

function hasNonStringMapKey(type: SqlType): boolean {
  switch (type.kind) {
    case 'MAP':
      return type.key.kind !== 'STRING' || hasNonStringMapKey(type.key) || hasNonStringMapKey(type.value);
    case 'ARRAY':
      return hasNonStringMapKey(type.element);
    case 'STRUCT':
      return type.fields.some((f) => hasNonStringMapKey(f.type));
    default:
      return false;
  }
}

function isUnwrapped(
  columns: readonly PersistedColumn[],
  target: SerdeTarget,
  options: SerdeOptions,
): boolean {
  if (columns.length !== 1) return false;
  return target === 'KEY' || options.wrapSingleValue === false;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function parseBytes(bytes: Uint8Array): JsonNode {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (e) {
    throw new SerdeError('Failed to deserialize JSON: invalid UTF-8', { cause: e });
  }
  try {
    return parseJson(text);
  } catch (e) {
    throw new SerdeError(`Failed to deserialize JSON: ${(e as Error).message}`, { cause: e });
  }
}

class JsonRowSerde implements RowSerde {
  private readonly rowType: StructType;
  private readonly unwrapped: boolean;

  constructor(
    private readonly columns: readonly PersistedColumn[],
    private readonly target: SerdeTarget,
    options: SerdeOptions,
  ) {
    this.rowType = structType(columns);
    this.unwrapped = isUnwrapped(columns, target, options);
  }

  serialize(row: readonly SqlValue[] | null): Buffer | null {
    if (row === null || (this.target === 'KEY' && isNullKey(row))) return null;
    try {
      let node: JsonNode;
      if (this.unwrapped) {
        const [column] = this.columns;
        if (row[0] === null || row[0] === undefined) return null;
        node = valueToJson(column!.type, row[0]);
      } else {
        const struct: Record<string, SqlValue> = Object.create(null);
        this.columns.forEach((c, i) => {
          struct[c.name] = row[i] ?? null;
        });
        node = valueToJson(this.rowType, struct);
      }
      return Buffer.from(stringifyJson(node), 'utf8');
    } catch (e) {
      throw new SerdeError(`Failed to serialize JSON: ${(e as Error).message}`, { cause: e });
    }
  }

  deserialize(bytes: Uint8Array | null): SqlValue[] | null {
    if (bytes === null) return null;
    const node = parseBytes(bytes);
    if (node === null) return null;
    try {
      if (this.unwrapped) return [jsonToValue(this.columns[0]!.type, node)];
      const struct = jsonToValue(this.rowType, node) as SqlStruct;
      return this.columns.map((c) => struct[c.name] ?? null);
    } catch (e) {
      throw new SerdeError(`Failed to deserialize JSON: ${(e as Error).message}`, { cause: e });
    }
  }
}

export const JsonFormat: Format = Object.freeze({
  name: 'JSON' as const,

  validate(columns: readonly PersistedColumn[], target: SerdeTarget, options: SerdeOptions = {}): void {
    checkNoMapKeys(columns, target);
    checkNoDelimiter('JSON', options);
    checkWrapping('JSON', columns, target, options, { wrap: true, unwrap: true });
    for (const column of columns) {
      if (hasNonStringMapKey(column.type)) {
        throw schemaNotSupported(
          'JSON',
          columns,
          target,
          options,
          'JSON only supports MAP types with STRING keys',
        );
      }
    }
  },

  serde(columns: readonly PersistedColumn[], target: SerdeTarget, options: SerdeOptions = {}): RowSerde {
    this.validate(columns, target, options);
    return new JsonRowSerde(columns, target, options);
  },
});
