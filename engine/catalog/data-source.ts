/**
 * A stream or table of the catalog: its schema, its topic, and how its records are encoded.
 * Immutable: CREATE OR REPLACE and ALTER put a new DataSource in the catalog.
 */
import type { WindowType } from '../serde/windowed-key.js';
import type { LogicalSchema } from './schema.js';

export type SourceKind = 'STREAM' | 'TABLE';

export interface FormatInfo {
  /** Upper-case format name: JSON, DELIMITED, KAFKA, NONE, ... */
  readonly format: string;
  /** KEY_DELIMITER / VALUE_DELIMITER as given. */
  readonly delimiter?: string;
  /** WRAP_SINGLE_VALUE when set; values only. */
  readonly wrapSingleValue?: boolean;
  /** ksql.persistence.wrap.single.values: applies when WRAP_SINGLE_VALUE is unset, never an error. */
  readonly defaultWrapSingleValue?: boolean;
}

export interface WindowInfo {
  readonly type: WindowType;
  /** Window size in ms; absent for SESSION. */
  readonly sizeMs?: number;
}

export interface KeyFormatInfo extends FormatInfo {
  /** Present when the record keys are windowed. */
  readonly window?: WindowInfo;
}

export interface TimestampColumn {
  readonly column: string;
  /** TIMESTAMP_FORMAT: a java.time pattern for a STRING timestamp column. */
  readonly format?: string;
}

export interface DataSource {
  readonly kind: SourceKind;
  readonly name: string;
  readonly schema: LogicalSchema;
  readonly topic: string;
  readonly keyFormat: KeyFormatInfo;
  readonly valueFormat: FormatInfo;
  readonly timestamp?: TimestampColumn;
  /** CREATE SOURCE STREAM/TABLE: read-only. */
  readonly isSource: boolean;
  /** The statement that created it. */
  readonly sqlText: string;
  /** The query that writes it, for C*AS sinks. */
  readonly createdByQuery?: string;
}

export function sourceKindName(kind: SourceKind): 'stream' | 'table' {
  return kind === 'STREAM' ? 'stream' : 'table';
}
