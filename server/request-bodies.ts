/**
 * The request bodies of ksqlDB's REST API as JSON schemas (fastify validates them; a body that
 * does not fit is a 40000 bad request) and the types they describe.
 */

const propertyMap = { type: 'object' } as const;

/** `sessionVariables` values are substituted into the SQL text, so they must be scalars. */
const variableMap = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
} as const;

/** ksqlDB's KsqlRequest: POST /ksql and POST /query. */
export interface KsqlRequestBody {
  readonly ksql: string;
  readonly streamsProperties?: Readonly<Record<string, unknown>>;
  readonly requestProperties?: Readonly<Record<string, unknown>>;
  readonly sessionVariables?: Readonly<Record<string, string | number | boolean>>;
  readonly commandSequenceNumber?: number;
}

export const ksqlRequestSchema = {
  type: 'object',
  required: ['ksql'],
  properties: {
    ksql: { type: 'string' },
    streamsProperties: propertyMap,
    requestProperties: propertyMap,
    sessionVariables: variableMap,
    commandSequenceNumber: { type: 'integer' },
  },
} as const;

/** ksqlDB's QueryStreamArgs: POST /query-stream. */
export interface QueryStreamArgsBody {
  readonly sql: string;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly requestProperties?: Readonly<Record<string, unknown>>;
  readonly sessionVariables?: Readonly<Record<string, string | number | boolean>>;
}

export const queryStreamArgsSchema = {
  type: 'object',
  required: ['sql'],
  properties: {
    sql: { type: 'string' },
    properties: propertyMap,
    requestProperties: propertyMap,
    sessionVariables: variableMap,
  },
} as const;

/** ksqlDB's CloseQueryArgs: POST /close-query. */
export interface CloseQueryArgsBody {
  readonly queryId: string;
}

export const closeQueryArgsSchema = {
  type: 'object',
  required: ['queryId'],
  properties: { queryId: { type: 'string' } },
} as const;
