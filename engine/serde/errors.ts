/**
 * Errors of the serde layer. A `SerdeError` is a bad record: the runtime sends it to the
 * processing log and skips the record; it never stops a query. The others are a user's
 * mistake in a statement (a format that cannot hold the columns, a bad property) and are
 * raised while the statement is analysed.
 */

/** A record that cannot be serialized or deserialized. */
export class SerdeError extends Error {
  override readonly name = 'SerdeError';
  readonly code = 'SERDE_ERROR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A format that cannot persist the given columns (unsupported type, too many columns, ...). */
export class FormatSchemaError extends Error {
  override readonly name = 'FormatSchemaError';
  readonly code = 'FORMAT_SCHEMA_ERROR';
}

/** A format property (WRAP_SINGLE_VALUE, *_DELIMITER, ...) the format does not accept. */
export class FormatConfigError extends Error {
  override readonly name = 'FormatConfigError';
  readonly code = 'FORMAT_CONFIG_ERROR';
}

/** A format name that does not exist, or one Sluice cannot serve yet. */
export class UnsupportedFormatError extends Error {
  override readonly name = 'UnsupportedFormatError';
  readonly code = 'UNSUPPORTED_FORMAT';
}
