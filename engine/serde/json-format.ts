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
import {
  asJsonObject,
  InexactJsonNumberError,
  type JsonNode,
  jsonConversionError,
  jsonFieldReader,
  jsonToValue,
  parseJson,
  valueToJsonText,
} from '../catalog/value-json.js';
import type { SqlValue } from '../catalog/values.js';
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
import { serdeMessages } from './messages.js';

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
  return target === 'KEY' || (options.wrapSingleValue ?? options.defaultWrapSingleValue) === false;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Text that may hold a number JavaScript's native JSON.parse cannot read exactly: one with 16
 * or more significant digits (a run of 16 digits or dots) or an exponent (which can hide a
 * tiny fraction that parses to 0). Such text, and anything a plain number cannot serve (see
 * InexactJsonNumberError), goes through the slower lossless parser; with at most 15
 * significant digits a double's shortest text is the number's exact value.
 */
const MAYBE_INEXACT_NUMBER = /[0-9.]{16}|\d[eE][+-]?\d/;

function decodeText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw new SerdeError(serdeMessages.failedToDeserialize('JSON', serdeMessages.invalidUtf8()), {
      cause: e,
    });
  }
}

function parseLossless(text: string): JsonNode {
  try {
    return parseJson(text);
  } catch (e) {
    throw new SerdeError(serdeMessages.failedToDeserialize('JSON', (e as Error).message), { cause: e });
  }
}

function parseNative(text: string): JsonNode {
  try {
    return JSON.parse(text) as JsonNode;
  } catch (e) {
    throw new SerdeError(serdeMessages.failedToDeserialize('JSON', (e as Error).message), { cause: e });
  }
}

class JsonRowSerde implements RowSerde {
  private readonly rowType: StructType;
  private readonly unwrapped: boolean;
  /** `"NAME":` (with a leading comma after the first) per column, and `$.NAME` for errors. */
  private readonly fieldPrefixes: readonly string[];
  private readonly fieldPaths: readonly string[];

  constructor(
    private readonly columns: readonly PersistedColumn[],
    private readonly target: SerdeTarget,
    options: SerdeOptions,
  ) {
    this.rowType = structType(columns);
    this.unwrapped = isUnwrapped(columns, target, options);
    this.fieldPrefixes = columns.map((c, i) => `${i > 0 ? ',' : ''}${JSON.stringify(c.name)}:`);
    this.fieldPaths = columns.map((c) => `$.${c.name}`);
  }

  serialize(row: readonly SqlValue[] | null): Buffer | null {
    if (row === null || (this.target === 'KEY' && isNullKey(row))) return null;
    try {
      if (this.unwrapped) {
        const value = row[0] ?? null;
        return value === null ? null : Buffer.from(valueToJsonText(this.columns[0]!.type, value), 'utf8');
      }
      let text = '{';
      for (let i = 0; i < this.columns.length; i++) {
        text += this.fieldPrefixes[i]! + valueToJsonText(this.columns[i]!.type, row[i] ?? null);
      }
      return Buffer.from(`${text}}`, 'utf8');
    } catch (e) {
      throw new SerdeError(serdeMessages.failedToSerialize('JSON', (e as Error).message), { cause: e });
    }
  }

  deserialize(bytes: Uint8Array | null): SqlValue[] | null {
    if (bytes === null) return null;
    const text = decodeText(bytes);
    if (!MAYBE_INEXACT_NUMBER.test(text)) {
      try {
        return this.rowOf(parseNative(text));
      } catch (e) {
        if (!(e instanceof InexactJsonNumberError)) throw e;
      }
    }
    return this.rowOf(parseLossless(text));
  }

  private rowOf(node: JsonNode): SqlValue[] | null {
    if (node === null) return null;
    try {
      if (this.unwrapped) return [jsonToValue(this.columns[0]!.type, node)];
      const object = asJsonObject(node);
      if (object === undefined) throw jsonConversionError(node, this.rowType, '$');
      const field = jsonFieldReader(object);
      const row: SqlValue[] = new Array(this.columns.length);
      for (let i = 0; i < this.columns.length; i++) {
        const column = this.columns[i]!;
        row[i] = jsonToValue(column.type, field(column.name), this.fieldPaths[i]);
      }
      return row;
    } catch (e) {
      if (e instanceof InexactJsonNumberError) throw e;
      throw new SerdeError(serdeMessages.failedToDeserialize('JSON', (e as Error).message), { cause: e });
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
