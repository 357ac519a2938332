/**
 * Key and value formats of a source: defaults from configuration, validation of the columns
 * against the format, and the serdes the runtime uses.
 */
import type { FormatInfo, KeyFormatInfo } from '../catalog/data-source.js';
import type { LogicalSchema } from '../catalog/schema.js';
import { ConfigKeys, type EngineConfig } from '../config.js';
import { StatementError, UnsupportedStatementError } from '../errors.js';
import { parseDelimiter } from '../serde/delimited-format.js';
import { FormatConfigError, FormatSchemaError, UnsupportedFormatError } from '../serde/errors.js';
import type { PersistedColumn, RowSerde, SerdeOptions } from '../serde/format.js';
import { formatFor } from '../serde/formats.js';
import { serdeMessages } from '../serde/messages.js';
import type { WithProperties } from './with-properties.js';

export function keyFormatFrom(
  props: WithProperties,
  config: EngineConfig,
  hasKeyColumns: boolean,
): KeyFormatInfo {
  const explicit = props.keyFormat();
  const format =
    explicit ?? (hasKeyColumns ? (config.get(ConfigKeys.DEFAULT_KEY_FORMAT) ?? 'KAFKA') : 'NONE');
  const delimiter = props.string('KEY_DELIMITER');
  return delimiter === undefined
    ? { format: format.toUpperCase() }
    : { format: format.toUpperCase(), delimiter };
}

export function valueFormatFrom(props: WithProperties, config: EngineConfig): FormatInfo {
  const format = props.valueFormat() ?? config.get(ConfigKeys.DEFAULT_VALUE_FORMAT)?.toUpperCase();
  if (format === undefined) {
    throw new StatementError(
      "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.",
    );
  }
  const delimiter = props.string('VALUE_DELIMITER');
  return withWrapping({ format, ...(delimiter === undefined ? {} : { delimiter }) }, props, config);
}

/** WRAP_SINGLE_VALUE from the WITH clause, else the configured default (which is never an error). */
export function withWrapping(info: FormatInfo, props: WithProperties, config: EngineConfig): FormatInfo {
  const explicit = props.boolean('WRAP_SINGLE_VALUE');
  if (explicit !== undefined) return { ...info, wrapSingleValue: explicit };
  const configured = config.boolean(ConfigKeys.WRAP_SINGLE_VALUES);
  return configured === undefined ? info : { ...info, defaultWrapSingleValue: configured };
}

function serdeOptions(info: FormatInfo): SerdeOptions {
  const options: { delimiter?: string; wrapSingleValue?: boolean; defaultWrapSingleValue?: boolean } = {};
  if (info.delimiter !== undefined) options.delimiter = info.delimiter;
  if (info.wrapSingleValue !== undefined) options.wrapSingleValue = info.wrapSingleValue;
  if (info.defaultWrapSingleValue !== undefined) options.defaultWrapSingleValue = info.defaultWrapSingleValue;
  return options;
}

function persisted(columns: LogicalSchema['key']): PersistedColumn[] {
  return columns.map((c) => ({ name: c.name, type: c.type }));
}

/** Throws a StatementError with ksqlDB's wording when the formats cannot hold the schema. */
export function validateFormats(schema: LogicalSchema, keyFormat: FormatInfo, valueFormat: FormatInfo): void {
  translateFormatErrors(() => {
    formatFor(keyFormat.format).validate(persisted(schema.key), 'KEY', serdeOptions(keyFormat));
    formatFor(valueFormat.format).validate(persisted(schema.value), 'VALUE', serdeOptions(valueFormat));
  });
}

export function keySerde(schema: LogicalSchema, info: FormatInfo): RowSerde {
  return translateFormatErrors(() =>
    formatFor(info.format).serde(persisted(schema.key), 'KEY', serdeOptions(info)),
  );
}

export function valueSerde(schema: LogicalSchema, info: FormatInfo): RowSerde {
  return translateFormatErrors(() =>
    formatFor(info.format).serde(persisted(schema.value), 'VALUE', serdeOptions(info)),
  );
}

/**
 * Checks the delimiter properties against their formats before anything else about the
 * source, as ksqlDB does ("Failed to prepare statement: ..." for a bad delimiter).
 */
export function checkDelimiters(keyFormat: FormatInfo, valueFormat: FormatInfo): void {
  const check = (info: FormatInfo, property: string) => {
    if (info.delimiter === undefined) return;
    if (info.format !== 'DELIMITED')
      throw new StatementError(serdeMessages.delimiterNotSupported(info.format));
    try {
      parseDelimiter(info.delimiter, property);
    } catch (err) {
      if (err instanceof FormatConfigError)
        throw new StatementError(`Failed to prepare statement: ${err.message}`);
      throw err;
    }
  };
  check(keyFormat, 'KEY_DELIMITER');
  check(valueFormat, 'VALUE_DELIMITER');
}

/** Checks that a format name exists and is served, with the errors a statement reports. */
export function checkFormatName(name: string): void {
  translateFormatErrors(() => formatFor(name));
}

function translateFormatErrors<T>(action: () => T): T {
  try {
    return action();
  } catch (err) {
    if (err instanceof UnsupportedFormatError) {
      if (err.message.startsWith('Unknown format')) throw new StatementError(err.message);
      throw new UnsupportedStatementError('format', err.message);
    }
    if (err instanceof FormatSchemaError || err instanceof FormatConfigError)
      throw new StatementError(err.message);
    throw err;
  }
}
