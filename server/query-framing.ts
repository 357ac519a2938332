/**
 * How a push query's rows are framed on the wire, one per response format:
 *
 * - `streamedRows`: ksqlDB's StreamedRow array (/query, and /query-stream for
 *   `application/vnd.ksql.v1+json`): `[` header `,\n` row `,\n` ... final message `]`, one
 *   compact JSON object per line, which is how the ksql CLI splits and parses it.
 * - `delimited`: /query-stream's default: the metadata object, then one JSON array per row,
 *   each on its own line.
 * - `jsonArray`: /query-stream for `application/json`: `[` metadata `,` row ... `]`.
 */

import { LogError } from '../engine/log/log.js';
import type { PlanColumn } from '../engine/plan/physical-plan.js';
import { serverMessages } from './messages.js';
import { ErrorCode, type GenericErrorEntity, genericError, isUserError } from './rest-errors.js';
import { columnTypeNames, jsonText, rowJsonText, schemaText } from './rest-json.js';
import type { QueryEnd, RunningQuery } from './running-queries.js';

export interface QueryFraming {
  header(queryId: string, columns: readonly PlanColumn[]): string;
  /** `values` is the row's JSON array text. */
  row(values: string): string;
  error(error: GenericErrorEntity): string;
  end(reason: QueryEnd): string;
  /** The last chunk of a query whose rows simply end (a pull query over a table): no final message. */
  finish(last: string): string;
}

const FINAL_MESSAGES: Readonly<Record<QueryEnd, string>> = {
  limit: 'Limit Reached',
  closed: 'Query Completed',
};

export const streamedRows: QueryFraming = {
  header: (queryId, columns) => `[${jsonText({ header: { queryId, schema: schemaText(columns) } })},\n`,
  row: (values) => `{"row":{"columns":${values}}},\n`,
  error: (error) => `${jsonText({ errorMessage: error })}]\n`,
  end: (reason) => `${jsonText({ finalMessage: FINAL_MESSAGES[reason] })}]\n`,
  // The header and every row end with `,\n`; the array closes after the last one.
  finish: (last) => `${last.slice(0, -2)}]\n`,
};

function metadata(queryId: string, columns: readonly PlanColumn[]) {
  return { queryId, columnNames: columns.map((c) => c.name), columnTypes: columnTypeNames(columns) };
}

export const delimited: QueryFraming = {
  header: (queryId, columns) => `${jsonText(metadata(queryId, columns))}\n`,
  row: (values) => `${values}\n`,
  error: (error) => `${jsonText(error)}\n`,
  end: () => '',
  finish: (last) => last,
};

export const jsonArray: QueryFraming = {
  header: (queryId, columns) => `[${jsonText(metadata(queryId, columns))}`,
  row: (values) => `,${values}`,
  error: (error) => `,${jsonText(error)}]`,
  end: () => ']',
  finish: (last) => `${last}]`,
};

/** The message of a failure while rows flow; an unexpected one's details stay in the server log. */
function inBandError(err: unknown): GenericErrorEntity {
  const known = isUserError(err) || err instanceof LogError;
  return genericError(
    ErrorCode.SERVER_ERROR,
    known ? serverMessages.queryFailed((err as Error).message) : serverMessages.internalError(),
  );
}

/**
 * The response chunks of a running push query. A failure after the header is reported in
 * band, as the last element, since the status line has already gone out.
 */
export async function* queryChunks(
  running: RunningQuery,
  framing: QueryFraming,
  onFailure: (err: unknown) => void,
): AsyncGenerator<string> {
  const columns = running.query.columns;
  if (running.completes) {
    yield* completingChunks(running, framing, onFailure);
    return;
  }
  yield framing.header(running.id, columns);
  try {
    for await (const row of running.query) yield framing.row(rowJsonText(columns, row.values));
  } catch (err) {
    onFailure(err);
    yield framing.error(inBandError(err));
    return;
  }
  yield framing.end(running.end);
}

/** A pull query over a table: header and rows, the last chunk closing the response. */
async function* completingChunks(
  running: RunningQuery,
  framing: QueryFraming,
  onFailure: (err: unknown) => void,
): AsyncGenerator<string> {
  const columns = running.query.columns;
  let held = framing.header(running.id, columns);
  try {
    for await (const row of running.query) {
      yield held;
      held = framing.row(rowJsonText(columns, row.values));
    }
  } catch (err) {
    onFailure(err);
    yield held;
    yield framing.error(inBandError(err));
    return;
  }
  yield framing.finish(held);
}
