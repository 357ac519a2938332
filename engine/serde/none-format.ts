/**
 * The NONE format: for a side with no columns (the key of a keyless stream). Whatever bytes
 * the record has are ignored, and nothing is written.
 */

import type { SqlValue } from '../catalog/values.js';
import { FormatSchemaError } from './errors.js';
import {
  checkNoDelimiter,
  type Format,
  formatPersistedColumns,
  type PersistedColumn,
  type RowSerde,
  type SerdeOptions,
  type SerdeTarget,
} from './format.js';
import { serdeMessages } from './messages.js';

const NONE_SERDE: RowSerde = Object.freeze({
  serialize: (): Buffer | null => null,
  deserialize: (bytes: Uint8Array | null): SqlValue[] | null => (bytes === null ? null : []),
});

export const NoneFormat: Format = Object.freeze({
  name: 'NONE' as const,

  validate(columns: readonly PersistedColumn[], target: SerdeTarget, options: SerdeOptions = {}): void {
    if (columns.length > 0) {
      throw new FormatSchemaError(serdeMessages.noneHasColumns(formatPersistedColumns(columns, target)));
    }
    checkNoDelimiter('NONE', options);
  },

  serde(columns: readonly PersistedColumn[], target: SerdeTarget, options: SerdeOptions = {}): RowSerde {
    this.validate(columns, target, options);
    return NONE_SERDE;
  },
});
