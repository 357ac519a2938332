/**
 * CREATE [OR REPLACE] [SOURCE] STREAM|TABLE over a topic: the DataSource it declares.
 */
import type { CreateStream, CreateTable } from '../../parser/ast.js';
import { sqlTypeFromAst } from '../catalog/ast-types.js';
import type { DataSource, KeyFormatInfo, TimestampColumn, WindowInfo } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { HEADERS_TYPE, isSystemColumnName, LogicalSchema } from '../catalog/schema.js';
import { formatType, type SqlType, SqlTypeError, SqlTypes, typesEqual } from '../catalog/types.js';
import type { EngineConfig } from '../config.js';
import { StatementError, UnsupportedStatementError } from '../errors.js';

const SCHEMA_REGISTRY_FORMATS: ReadonlySet<string> = new Set(['AVRO', 'PROTOBUF', 'JSON_SR']);

import { isKnownFormatName } from '../serde/formats.js';
import type { WindowType } from '../serde/windowed-key.js';
import { checkDelimiters, keyFormatFrom, validateFormats, valueFormatFrom } from './source-formats.js';
import { WithProperties } from './with-properties.js';

export function dataSourceFromCreate(
  statement: CreateStream | CreateTable,
  sqlText: string,
  metastore: MetaStore,
  config: EngineConfig,
): DataSource {
  const kind = statement.kind === 'CreateStream' ? 'STREAM' : 'TABLE';
  const props = new WithProperties(statement.properties, 'CREATE_SOURCE');
  const topic = props.string('KAFKA_TOPIC');
  if (topic === undefined) {
    throw new StatementError('Missing required property "KAFKA_TOPIC" which has no default value.');
  }
  for (const format of [props.keyFormat(), props.valueFormat()]) {
    if (format !== undefined && !isKnownFormatName(format))
      throw new StatementError(`Unknown format: ${format}`);
  }
  checkDelimiters(keyFormatFrom(props, config, true), valueFormatFrom(props, config));
  if (statement.elements.length === 0) {
    const format = props.valueFormat() ?? props.keyFormat();
    if (format !== undefined && SCHEMA_REGISTRY_FORMATS.has(format)) {
      throw new UnsupportedStatementError(
        'schema inference',
        `Inferring columns from the Schema Registry (${format}) is not supported yet.`,
      );
    }
    throw new StatementError('No columns supplied.');
  }
  const schema = schemaOf(statement, metastore);
  if (kind === 'TABLE' && schema.key.length === 0) {
    throw new StatementError(
      'Tables require a PRIMARY KEY. Please define the PRIMARY KEY.\nUse a partial schema to define the primary key and still load the value columns from the Schema Registry, for example:\n\tCREATE TABLE ' +
        statement.name +
        ' (ID INT PRIMARY KEY) WITH (...);',
    );
  }
  const keyFormat: KeyFormatInfo = withWindow(keyFormatFrom(props, config, schema.key.length > 0), props);
  const valueFormat = valueFormatFrom(props, config);
  validateFormats(schema, keyFormat, valueFormat);
  const timestamp = timestampColumn(props, schema);
  const source: DataSource = {
    kind,
    name: statement.name,
    schema,
    topic,
    keyFormat,
    valueFormat,
    isSource: statement.isSource,
    sqlText,
    ...(timestamp === undefined ? {} : { timestamp }),
  };
  return source;
}

function schemaOf(statement: CreateStream | CreateTable, metastore: MetaStore): LogicalSchema {
  const builder = LogicalSchema.builder();
  for (const element of statement.elements) {
    if (isSystemColumnName(element.name)) {
      throw new StatementError(
        `'${element.name}' is a reserved column name. You cannot use it as a name for a column.`,
      );
    }
    const type = sqlTypeFromAst(element.type, (name) => metastore.type(name));
    switch (element.constraint) {
      case 'KEY':
      case 'PRIMARY KEY':
        builder.keyColumn(element.name, type);
        break;
      case 'HEADERS':
        checkHeaderType(type, 'HEADERS');
        builder.headerColumn(element.name);
        break;
      case 'HEADER':
        checkHeaderType(type, `HEADER('${element.headerKey ?? ''}')`);
        builder.headerColumn(element.name, element.headerKey);
        break;
      case 'NONE':
        builder.valueColumn(element.name, type);
        break;
    }
  }
  try {
    return builder.build();
  } catch (err) {
    if (err instanceof SqlTypeError) throw new StatementError(err.message);
    throw err;
  }
}

function checkHeaderType(type: SqlType, what: string): void {
  const expected = what === 'HEADERS' ? HEADERS_TYPE : SqlTypes.BYTES;
  if (!typesEqual(type, expected)) {
    throw new StatementError(
      `Invalid type for ${what} column: expected ${formatType(expected)}, got ${formatType(type)}`,
    );
  }
}

function withWindow(keyFormat: KeyFormatInfo, props: WithProperties): KeyFormatInfo {
  const windowType = props.string('WINDOW_TYPE')?.toUpperCase();
  if (windowType === undefined) return keyFormat;
  if (windowType !== 'TUMBLING' && windowType !== 'HOPPING' && windowType !== 'SESSION') {
    throw new StatementError(`Configuration WINDOW_TYPE is invalid: ${windowType}`);
  }
  const sizeText = props.string('WINDOW_SIZE');
  let window: WindowInfo;
  if (windowType === 'SESSION') {
    if (sizeText !== undefined)
      throw new StatementError("'WINDOW_SIZE' should not be set for SESSION windows.");
    window = { type: windowType };
  } else {
    if (sizeText === undefined) {
      throw new StatementError(`WINDOW_SIZE is required for ${windowType} windows.`);
    }
    window = { type: windowType as WindowType, sizeMs: parseDurationText(sizeText, 'WINDOW_SIZE') };
  }
  return { ...keyFormat, window };
}

const UNIT_MS: Readonly<Record<string, number>> = {
  MILLISECOND: 1,
  MILLISECONDS: 1,
  SECOND: 1000,
  SECONDS: 1000,
  MINUTE: 60_000,
  MINUTES: 60_000,
  HOUR: 3_600_000,
  HOURS: 3_600_000,
  DAY: 86_400_000,
  DAYS: 86_400_000,
};

/** `'30 SECONDS'` as in WINDOW_SIZE. */
export function parseDurationText(text: string, property: string): number {
  const match = /^\s*(\d+)\s+(\w+)\s*$/.exec(text);
  if (match === null)
    throw new StatementError(`Configuration ${property} is invalid: Invalid duration: '${text}'`);
  const unit = match[2]!.toUpperCase();
  const ms = UNIT_MS[unit];
  if (ms === undefined) {
    throw new StatementError(
      `Configuration ${property} is invalid: Invalid duration: '${text}'. Unknown time unit: '${unit}'`,
    );
  }
  return Number(match[1]) * ms;
}

/**
 * TIMESTAMP / TIMESTAMP_FORMAT of a WITH clause: the column whose value is each record's
 * event time (for a source) or output timestamp (for a C*AS sink).
 */
export function timestampColumn(props: WithProperties, schema: LogicalSchema): TimestampColumn | undefined {
  const name = props.string('TIMESTAMP');
  if (name === undefined) return undefined;
  const column = schema.find(name.toUpperCase()) ?? schema.find(name);
  if (column === undefined) {
    throw new StatementError(
      `The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name.toUpperCase()}'`,
    );
  }
  const format = props.string('TIMESTAMP_FORMAT');
  const t = column.type.kind;
  if (!(t === 'BIGINT' || t === 'TIMESTAMP' || (t === 'STRING' && format !== undefined))) {
    throw new StatementError(
      `Timestamp column, \`${column.name}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`,
    );
  }
  return format === undefined ? { column: column.name } : { column: column.name, format };
}
