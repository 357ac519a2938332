/**
 * Rows inserted as JSON objects (the REST API's /inserts-stream): each object's fields are
 * matched to the stream's key and value columns as ksqlDB matches JSON fields (exact name,
 * else ignoring case), converted to the column types, and encoded with the stream's formats.
 */
import type { DataSource } from '../catalog/data-source.js';
import type { MetaStore } from '../catalog/metastore.js';
import { asJsonObject, type JsonNode, jsonFieldReader, jsonToValue } from '../catalog/value-json.js';
import { StatementError } from '../errors.js';
import type { ProducerRecord } from '../log/log.js';
import { keySerde, valueSerde } from './source-formats.js';

export interface RowInserter {
  readonly source: DataSource;
  /** The record for one row; throws a user error when the row does not fit the stream. */
  record(row: JsonNode): ProducerRecord;
}

export function rowInserter(metastore: MetaStore, target: string): RowInserter {
  const source =
    metastore.source(target) ??
    metastore.allSources().find((s) => s.name.toUpperCase() === target.toUpperCase());
  if (source === undefined) throw new StatementError(`Cannot insert into an unknown stream: ${target}`);
  if (source.kind !== 'STREAM') throw new StatementError(`Cannot insert into a table: ${source.name}`);
  if (source.isSource) throw new StatementError(`Cannot insert values into read-only stream: ${source.name}`);
  const schema = source.schema;
  const keys = keySerde(schema, source.keyFormat);
  const values = valueSerde(schema, source.valueFormat);
  return {
    source,
    record(row) {
      const object = asJsonObject(row);
      if (object === undefined) throw new StatementError('Each row must be a JSON object.');
      const field = jsonFieldReader(object);
      const key = schema.key.map((c) => jsonToValue(c.type, field(c.name), c.name));
      const value = schema.value.map((c) => jsonToValue(c.type, field(c.name), c.name));
      const record: ProducerRecord = {
        key: schema.key.length === 0 ? null : keys.serialize(key),
        value: values.serialize(value),
      };
      const rowtime = field('ROWTIME');
      if (rowtime !== null) record.timestamp = Number(jsonToValue({ kind: 'BIGINT' }, rowtime, 'ROWTIME'));
      return record;
    },
  };
}
