/**
 * Every message the serde layer shows a user, in one place. Where ksqlDB's tests assert a
 * message (format/schema checks, delimiter settings) the wording is ksqlDB's; Kafka's own
 * deserializers are quoted for the KAFKA format's size errors.
 */

export const serdeMessages = {
  // Statement-time checks
  schemaNotSupported: (
    target: 'KEY' | 'VALUE',
    format: string,
    columns: string,
    features: string,
    reason: string,
  ) =>
    `${target === 'KEY' ? 'Key' : 'Value'} format does not support schema.\n` +
    `format: ${format}\n` +
    `schema: Persistence{columns=${columns}, features=[${features}]}\n` +
    `reason: ${reason}`,
  mapKeyColumn: (column: string, type: string) =>
    'Map keys, including types that contain maps, are not supported as they may lead to unexpected ' +
    `behavior due to inconsistent serialization. Key column name: ${column}. ` +
    `Column type: ${type}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
  wrappingNotSupported: (format: string, wrap: boolean) =>
    `Format '${format}' does not support 'WRAP_SINGLE_VALUE' set to '${wrap}'.`,
  wrappingNeedsOneColumn: () => "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas",
  delimiterNotSupported: (format: string) => `${format} does not support the following configs: [delimiter]`,
  invalidDelimiter: (property: string, reason: string) =>
    `Configuration ${property} is invalid: ${reason}\nExample valid value: ';'`,
  emptyDelimiter: () =>
    "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'",
  delimiterNotOneCharacter: (text: string) =>
    `Invalid delimiter value: '${text}'. Delimiter must be a single character or TAB,SPACE`,
  typeNotSupported: (format: string, kind: string) =>
    `The '${format}' format does not support type '${kind}'`,
  typeNotSupportedInColumn: (format: string, kind: string, column: string) =>
    `The '${format}' format does not support type '${kind}', column: ${column}`,
  jsonMapKeys: () => 'JSON only supports MAP types with STRING keys',
  kafkaSingleField: (columns: string) => `The 'KAFKA' format only supports a single field. Got: ${columns}`,
  noneHasColumns: (columns: string) =>
    `The 'NONE' format can only be used when no columns are defined. Got: ${columns}`,
  unknownFormat: (name: string) => `Unknown format: ${name}`,
  formatNotAvailable: (name: string, reason: string) => `The '${name}' format is not available: ${reason}.`,
  needsSchemaRegistry: () => 'it needs a Schema Registry, which Sluice does not support yet',
  noProtobuf: () => 'Sluice does not support Protobuf yet',

  // Records
  kafkaSize: (deserializer: string, size: number) =>
    `Size of data received by ${deserializer} is not ${size}`,
  failedToSerialize: (format: string, reason: string) => `Failed to serialize ${format}: ${reason}`,
  failedToDeserialize: (format: string, reason: string) => `Failed to deserialize ${format}: ${reason}`,
  invalidUtf8: () => 'invalid UTF-8',
  fieldCount: (fields: number, columns: number) =>
    `Unexpected field count, csvFields:${fields} schemaFields:${columns}`,
  invalidField: (type: string, text: string) => `Invalid ${type} value: '${text}'`,
  fieldOutOfRange: (type: string, text: string) => `Value out of range for ${type}: '${text}'`,
  csvUnclosedQuote: () => 'EOF reached before encapsulated token finished',
  csvCharAfterQuote: () => 'Invalid char between encapsulated token and delimiter',
  windowedKeyTooShort: (length: number, windowType: string, needed: number) =>
    `Windowed key of ${length} bytes is too short for a ${windowType} window (needs ${needed})`,
};
