/**
 * Every message text the REST server writes itself, worded as ksqlDB words them where clients
 * or users may recognise them. Statement errors carry the engine's own messages.
 */
export const serverMessages = {
  invalidJson: (detail: string) => `Invalid JSON in request: ${detail}`,
  bodyNotAnObject: () => 'Invalid JSON in request: the body must be a JSON object',
  fieldNotAString: (field: string) => `Invalid JSON in request: "${field}" must be a string`,
  fieldNotAnObject: (field: string) => `Invalid JSON in request: "${field}" must be a JSON object`,
  ksqlFieldEmpty: () => '"ksql" field must be populated',
  sqlFieldEmpty: () => '"sql" field must be populated',
  queryEndpoint: () =>
    "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
  notAQuery: (kind: string) => `Statement type \`${kind}' not supported for this resource`,
  printNotSupported: () => 'PRINT is not supported yet.',
  noSuchQuery: (queryId: string) => `No query with id ${queryId}`,
  prohibitedOverrides: (names: readonly string[]) =>
    `One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [${names.join(', ')}]`,
  commandNotFound: () => 'Command not found',
  commandSequenceTimeout: (sequence: number) =>
    `Timed out while waiting for a previous command to execute. command sequence number: ${sequence}`,
  unauthorized: () => 'Unauthorized',
  notAcceptable: (accept: string) =>
    `None of the media types in the Accept header are produced here: ${accept}`,
  internalError: () =>
    'The server encountered an internal error when processing the query. Please consult the server logs for more information.',
  queryFailed: (detail: string) => `Query failed: ${detail}`,
  tooManyPushQueries: (count: number, limit: number) =>
    `Not executing statement(s) as it would cause the number of active, push queries to exceed the configured limit. Terminate existing PUSH queries, or increase the 'ksql.max.push.queries' setting via the 'ksql-server.properties' file. Current push query count: ${count}. Configured limit: ${limit}.`,
} as const;
