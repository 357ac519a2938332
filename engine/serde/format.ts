/**
 * The Format seam: how the key or the value columns of a row become record bytes and back.
 *
 * A `Format` is stateless; `serde(columns, target, options)` builds a `RowSerde` for one side
 * of one source. Rows are arrays of runtime values (engine/catalog/values.ts) in column order.
 * A null row is a null record (a tombstone value, or a null key) and the other way round.
 * Bad bytes raise `SerdeError`; a format that cannot hold the columns raises
 * `FormatSchemaError` from `validate`, with ksqlDB's wording.
 */

import type { SqlType } from '../catalog/types.js';
import { containsMap, formatType, quoteIdentifier } from '../catalog/types.js';
import type { SqlValue } from '../catalog/values.js';
import { FormatConfigError, FormatSchemaError } from './errors.js';
import { serdeMessages } from './messages.js';

export type FormatName = 'JSON' | 'DELIMITED' | 'KAFKA' | 'NONE';

/** Whether the columns are a record's key or its value; keys and values follow different rules. */
export type SerdeTarget = 'KEY' | 'VALUE';

export interface PersistedColumn {
  readonly name: string;
  readonly type: SqlType;
}

export interface SerdeOptions {
  /**
   * WRAP_SINGLE_VALUE as the user set it (undefined when not set). A single value column is
   * written inside a record by default and bare with `false`; keys are always bare when single.
   */
  readonly wrapSingleValue?: boolean;
  /**
   * `ksql.persistence.wrap.single.values`: how a single value column is written when
   * WRAP_SINGLE_VALUE is not set. Unlike `wrapSingleValue` it is never an error, whatever
   * the number of columns or the format.
   */
  readonly defaultWrapSingleValue?: boolean;
  /** KEY_DELIMITER / VALUE_DELIMITER as given: one character, or `TAB` / `SPACE`. */
  readonly delimiter?: string;
}

export interface RowSerde {
  /** The record bytes of a row (values in column order); null for a null row. */
  serialize(row: readonly SqlValue[] | null): Buffer | null;
  /** The row of a record's bytes; null for null bytes. Throws SerdeError on bad bytes. */
  deserialize(bytes: Uint8Array | null): SqlValue[] | null;
}

export interface Format {
  readonly name: FormatName;
  /** Throws FormatSchemaError / FormatConfigError when this format cannot serve the columns. */
  validate(columns: readonly PersistedColumn[], target: SerdeTarget, options?: SerdeOptions): void;
  /** Validates, then builds the serde. */
  serde(columns: readonly PersistedColumn[], target: SerdeTarget, options?: SerdeOptions): RowSerde;
}

/** `` `K` STRING KEY `` / `` `V` INTEGER ``: how ksqlDB lists persisted columns in messages. */
export function formatPersistedColumn(column: PersistedColumn, target: SerdeTarget): string {
  const text = `${quoteIdentifier(column.name)} ${formatType(column.type)}`;
  return target === 'KEY' ? `${text} KEY` : text;
}

export function formatPersistedColumns(columns: readonly PersistedColumn[], target: SerdeTarget): string {
  return `[${columns.map((c) => formatPersistedColumn(c, target)).join(', ')}]`;
}

function featuresText(options: SerdeOptions, target: SerdeTarget): string {
  if (target === 'KEY' || options.wrapSingleValue === undefined) return '';
  return options.wrapSingleValue ? 'WRAP_SINGLES' : 'UNWRAP_SINGLES';
}

/** ksqlDB's error for a format that cannot persist a schema, with the format's reason. */
export function schemaNotSupported(
  format: string,
  columns: readonly PersistedColumn[],
  target: SerdeTarget,
  options: SerdeOptions,
  reason: string,
): FormatSchemaError {
  return new FormatSchemaError(
    serdeMessages.schemaNotSupported(
      target,
      format,
      formatPersistedColumns(columns, target),
      featuresText(options, target),
      reason,
    ),
  );
}

/** Key columns may not be, or contain, maps: their serialized form is not stable. */
export function checkNoMapKeys(columns: readonly PersistedColumn[], target: SerdeTarget): void {
  if (target !== 'KEY') return;
  for (const column of columns) {
    if (containsMap(column.type)) {
      throw new FormatSchemaError(
        serdeMessages.mapKeyColumn(quoteIdentifier(column.name), formatType(column.type)),
      );
    }
  }
}

/**
 * WRAP_SINGLE_VALUE checks common to every format: only for values, only for exactly one
 * column, and only in the direction the format supports.
 */
export function checkWrapping(
  format: string,
  columns: readonly PersistedColumn[],
  target: SerdeTarget,
  options: SerdeOptions,
  supported: { readonly wrap: boolean; readonly unwrap: boolean },
): void {
  const wrap = options.wrapSingleValue;
  if (wrap === undefined || target === 'KEY') return;
  if (!(wrap ? supported.wrap : supported.unwrap)) {
    throw new FormatConfigError(serdeMessages.wrappingNotSupported(format, wrap));
  }
  if (columns.length !== 1) {
    throw new FormatConfigError(serdeMessages.wrappingNeedsOneColumn());
  }
}

export function checkNoDelimiter(format: string, options: SerdeOptions): void {
  if (options.delimiter !== undefined) {
    throw new FormatConfigError(serdeMessages.delimiterNotSupported(format));
  }
}

/** Whether a whole row is null: a key whose columns are all null is a null key. */
export function isNullKey(row: readonly SqlValue[] | null): boolean {
  // A single null key column is a null key; several null columns are still a key record
  // ({"A": null, "B": null}), as ksqlDB writes multi-column keys.
  return row === null || (row.length === 1 && row[0] === null);
}
