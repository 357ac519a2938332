/**
 * The DELIMITED format: one CSV line per record, a field per column in order, primitive types
 * only. Fields are written as Java writes them (DOUBLE via Double.toString, DECIMAL in plain
 * notation at the column's scale, BYTES as base64, DATE/TIME/TIMESTAMP as numbers); an empty
 * field reads as null.
 */

import type { SqlType } from '../catalog/types.js';
import { formatType, quoteIdentifier } from '../catalog/types.js';
import { javaDoubleToString } from '../catalog/value-text.js';
import {
  Decimal,
  decimalToString,
  fitDecimalExact,
  INT32_MAX,
  INT32_MIN,
  INT64_MAX,
  INT64_MIN,
  MILLIS_PER_DAY,
  type SqlValue,
} from '../catalog/values.js';
import { formatCsvRecord, parseCsvRecord } from './csv.js';
import { FormatConfigError, SerdeError } from './errors.js';
import {
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

/**
 * The delimiter character of a KEY_DELIMITER / VALUE_DELIMITER setting: a single character,
 * or the names TAB and SPACE (a literal space is refused, as in ksqlDB, because it is too
 * easily lost). `property` names the setting in the message.
 */
export function parseDelimiter(text: string | undefined, property = 'VALUE_DELIMITER'): string {
  if (text === undefined) return ',';
  const invalid = (reason: string) => new FormatConfigError(serdeMessages.invalidDelimiter(property, reason));
  if (text.trim().length === 0) {
    throw invalid(serdeMessages.emptyDelimiter());
  }
  if (text.toUpperCase() === 'TAB') return '\t';
  if (text.toUpperCase() === 'SPACE') return ' ';
  if ([...text].length !== 1) {
    throw invalid(serdeMessages.delimiterNotOneCharacter(text));
  }
  return text;
}

const SUPPORTED: ReadonlySet<string> = new Set([
  'BOOLEAN',
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'DECIMAL',
  'STRING',
  'BYTES',
  'DATE',
  'TIME',
  'TIMESTAMP',
]);

function fieldText(type: SqlType, value: SqlValue): string | null {
  if (value === null) return null;
  switch (type.kind) {
    case 'DOUBLE':
      return javaDoubleToString(value as number);
    case 'DECIMAL':
      return decimalToString(value as Decimal, type);
    case 'BYTES':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return String(value);
  }
}

function parseInteger(text: string, type: SqlType, min: bigint, max: bigint): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new SerdeError(serdeMessages.invalidField(formatType(type), text));
  const n = BigInt(text);
  if (n < min || n > max) throw new SerdeError(serdeMessages.fieldOutOfRange(formatType(type), text));
  return n;
}

const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

function parseField(type: SqlType, text: string): SqlValue {
  switch (type.kind) {
    case 'BOOLEAN': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'false') return lower === 'true';
      throw new SerdeError(serdeMessages.invalidField('BOOLEAN', text));
    }
    case 'INTEGER':
    case 'DATE':
      return Number(parseInteger(text, type, BigInt(INT32_MIN), BigInt(INT32_MAX)));
    case 'BIGINT':
      return parseInteger(text, type, INT64_MIN, INT64_MAX);
    case 'TIME':
      return Number(parseInteger(text, type, 0n, BigInt(MILLIS_PER_DAY - 1)));
    case 'TIMESTAMP':
      return Number(
        parseInteger(text, type, BigInt(Number.MIN_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER)),
      );
    case 'DOUBLE': {
      if (!JAVA_DOUBLE.test(text)) throw new SerdeError(serdeMessages.invalidField('DOUBLE', text));
      return Number(text.replace(/[fFdD]$/, ''));
    }
    case 'DECIMAL': {
      let value: Decimal;
      try {
        value = new Decimal(text);
      } catch {
        throw new SerdeError(serdeMessages.invalidField(formatType(type), text));
      }
      return fitDecimalExact(value, type);
    }
    case 'STRING':
      return text;
    case 'BYTES':
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
        throw new SerdeError(serdeMessages.invalidField('base64 BYTES', text));
      }
      return Buffer.from(text, 'base64');
    default:
      throw new SerdeError(serdeMessages.typeNotSupported('DELIMITED', type.kind));
  }
}

// ksqlDB reads the line with new String(bytes, UTF_8), which replaces malformed UTF-8.
const decoder = new TextDecoder('utf-8');

class DelimitedRowSerde implements RowSerde {
  constructor(
    private readonly columns: readonly PersistedColumn[],
    private readonly target: SerdeTarget,
    private readonly delimiter: string,
  ) {}

  serialize(row: readonly SqlValue[] | null): Buffer | null {
    if (row === null || (this.target === 'KEY' && isNullKey(row))) return null;
    const fields = this.columns.map((c, i) => fieldText(c.type, row[i] ?? null));
    return Buffer.from(formatCsvRecord(fields, this.delimiter), 'utf8');
  }

  deserialize(bytes: Uint8Array | null): SqlValue[] | null {
    if (bytes === null) return null;
    try {
      const fields = parseCsvRecord(decoder.decode(bytes), this.delimiter);
      if (fields.length !== this.columns.length) {
        throw new SerdeError(serdeMessages.fieldCount(fields.length, this.columns.length));
      }
      return this.columns.map((c, i) => {
        const text = fields[i] ?? '';
        return text.length === 0 ? null : parseField(c.type, text);
      });
    } catch (e) {
      if (e instanceof SerdeError) throw e;
      throw new SerdeError(serdeMessages.failedToDeserialize('DELIMITED', (e as Error).message), {
        cause: e,
      });
    }
  }
}

export const DelimitedFormat: Format = Object.freeze({
  name: 'DELIMITED' as const,

  validate(columns: readonly PersistedColumn[], target: SerdeTarget, options: SerdeOptions = {}): void {
    checkNoMapKeys(columns, target);
    checkWrapping('DELIMITED', columns, target, options, { wrap: false, unwrap: true });
    parseDelimiter(options.delimiter, target === 'KEY' ? 'KEY_DELIMITER' : 'VALUE_DELIMITER');
    for (const column of columns) {
      if (!SUPPORTED.has(column.type.kind)) {
        throw schemaNotSupported(
          'DELIMITED',
          columns,
          target,
          options,
          serdeMessages.typeNotSupportedInColumn('DELIMITED', column.type.kind, quoteIdentifier(column.name)),
        );
      }
    }
  },

  serde(columns: readonly PersistedColumn[], target: SerdeTarget, options: SerdeOptions = {}): RowSerde {
    this.validate(columns, target, options);
    const delimiter = parseDelimiter(
      options.delimiter,
      target === 'KEY' ? 'KEY_DELIMITER' : 'VALUE_DELIMITER',
    );
    return new DelimitedRowSerde(columns, target, delimiter);
  },
});
