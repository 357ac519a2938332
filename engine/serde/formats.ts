/**
 * The format registry: `formatFor('json')` gives the JSON format. Names are matched ignoring
 * case. The Schema Registry formats are known but refused until Sluice has a registry client.
 */

import { DelimitedFormat } from './delimited-format.js';
import { UnsupportedFormatError } from './errors.js';
import type { Format, FormatName } from './format.js';
import { JsonFormat } from './json-format.js';
import { KafkaFormat } from './kafka-format.js';
import { serdeMessages } from './messages.js';
import { NoneFormat } from './none-format.js';

const FORMATS: ReadonlyMap<string, Format> = new Map<FormatName, Format>([
  ['JSON', JsonFormat],
  ['DELIMITED', DelimitedFormat],
  ['KAFKA', KafkaFormat],
  ['NONE', NoneFormat],
]);

/** Formats ksqlDB has that Sluice does not serve yet, and why. */
const NOT_YET: ReadonlyMap<string, string> = new Map([
  ['AVRO', serdeMessages.needsSchemaRegistry()],
  ['PROTOBUF', serdeMessages.needsSchemaRegistry()],
  ['JSON_SR', serdeMessages.needsSchemaRegistry()],
  ['PROTOBUF_NOSR', serdeMessages.noProtobuf()],
]);

export function isKnownFormatName(name: string): boolean {
  const upper = name.toUpperCase();
  return FORMATS.has(upper) || NOT_YET.has(upper);
}

/** The format of that name; UnsupportedFormatError (`Unknown format: FOO`, as ksqlDB) otherwise. */
export function formatFor(name: string): Format {
  const upper = name.toUpperCase();
  const format = FORMATS.get(upper);
  if (format !== undefined) return format;
  const reason = NOT_YET.get(upper);
  if (reason !== undefined) throw new UnsupportedFormatError(serdeMessages.formatNotAvailable(upper, reason));
  throw new UnsupportedFormatError(serdeMessages.unknownFormat(name));
}
