/**
 * ksqlDB's REST error entities and codes. `error_code` is the HTTP status times 100 plus a
 * sub-code, as ksqlDB's clients expect; statement failures on /ksql carry the statement and
 * the entities of the statements before it that succeeded.
 */
import { ValueError } from '../engine/catalog/values.js';
import { CommandTimeoutError } from '../engine/command-log/command-topic.js';
import type { KsqlEntity } from '../engine/entities.js';
import { ExpressionEvaluationError } from '../engine/expr/errors.js';
import { FunctionResolutionError } from '../engine/expr/functions/function-types.js';
import { LogError } from '../engine/log/log.js';
import { FormatConfigError, FormatSchemaError, UnsupportedFormatError } from '../engine/serde/errors.js';
import { SqlError } from '../parser/errors.js';
import { serverMessages } from './messages.js';

export const ErrorCode = {
  BAD_REQUEST: 40000,
  BAD_STATEMENT: 40001,
  QUERY_ENDPOINT: 40002,
  UNAUTHORIZED: 40100,
  NOT_FOUND: 40400,
  NOT_ACCEPTABLE: 40600,
  SERVER_ERROR: 50000,
  COMMAND_QUEUE_CATCHUP_TIMEOUT: 50301,
} as const;

export interface GenericErrorEntity {
  readonly '@type': 'generic_error';
  readonly error_code: number;
  readonly message: string;
}

export interface StatementErrorEntity {
  readonly '@type': 'statement_error';
  readonly error_code: number;
  readonly message: string;
  readonly statementText: string;
  readonly entities: readonly KsqlEntity[];
}

export type ErrorEntity = GenericErrorEntity | StatementErrorEntity;

export function genericError(errorCode: number, message: string): GenericErrorEntity {
  return { '@type': 'generic_error', error_code: errorCode, message };
}

/** An HTTP error response: the status and the entity that is its body. */
export class RestError extends Error {
  override readonly name = 'RestError';

  constructor(
    readonly status: number,
    readonly entity: ErrorEntity,
  ) {
    super(entity.message);
  }

  static badRequest(message: string): RestError {
    return new RestError(400, genericError(ErrorCode.BAD_REQUEST, message));
  }

  static badStatement(
    message: string,
    statementText: string,
    entities: readonly KsqlEntity[] = [],
  ): RestError {
    return new RestError(400, {
      '@type': 'statement_error',
      error_code: ErrorCode.BAD_STATEMENT,
      message,
      statementText,
      entities,
    });
  }

  static queryEndpoint(statementText: string): RestError {
    return new RestError(400, {
      '@type': 'statement_error',
      error_code: ErrorCode.QUERY_ENDPOINT,
      message: serverMessages.queryEndpoint(),
      statementText,
      entities: [],
    });
  }

  static notFound(message: string): RestError {
    return new RestError(404, genericError(ErrorCode.NOT_FOUND, message));
  }

  static unauthorized(): RestError {
    return new RestError(401, genericError(ErrorCode.UNAUTHORIZED, serverMessages.unauthorized()));
  }

  static notAcceptable(accept: string): RestError {
    return new RestError(406, genericError(ErrorCode.NOT_ACCEPTABLE, serverMessages.notAcceptable(accept)));
  }

  /** A command (or one a request waits for) was not applied in time. */
  static commandTimeout(message: string): RestError {
    return new RestError(503, genericError(ErrorCode.COMMAND_QUEUE_CATCHUP_TIMEOUT, message));
  }

  /** Never the error's own text: an unexpected failure's details stay in the server log. */
  static internal(): RestError {
    return new RestError(500, genericError(ErrorCode.SERVER_ERROR, serverMessages.internalError()));
  }
}

/**
 * Errors the engine raises for a user's mistake without wrapping them in a SqlError yet (a
 * value that does not fit its column, an expression that fails in INSERT VALUES, a format
 * setting). They are the statement's fault, so they answer 400 like statement errors.
 */
const USER_ERROR_CLASSES = [
  ValueError,
  ExpressionEvaluationError,
  FunctionResolutionError,
  FormatConfigError,
  FormatSchemaError,
  UnsupportedFormatError,
] as const;

export function isUserError(err: unknown): err is Error {
  return err instanceof SqlError || USER_ERROR_CLASSES.some((c) => err instanceof c);
}

/** How a statement error's message reads: with `Statement: ...` appended (/ksql), or as raised (/query). */
export type StatementMessageStyle = 'withStatement' | 'raw';

/**
 * The REST error for a failure while running `statementText`: a user's mistake is a 400
 * statement error (40001), a Kafka failure a 500 naming the Kafka error, anything else a 500
 * whose details stay in the server log.
 */
export function statementFailure(
  err: unknown,
  statementText: string,
  style: StatementMessageStyle,
  entities: readonly KsqlEntity[] = [],
): RestError {
  if (err instanceof RestError) return err;
  if (err instanceof CommandTimeoutError) return RestError.commandTimeout(err.message);
  if (err instanceof SqlError) {
    const text = err.statementText ?? statementText;
    const message =
      style === 'withStatement'
        ? err.statementText === undefined
          ? `${err.message}\nStatement: ${text}`
          : err.messageWithStatement
        : err.message;
    return RestError.badStatement(message, text, entities);
  }
  if (isUserError(err)) {
    const message = style === 'withStatement' ? `${err.message}\nStatement: ${statementText}` : err.message;
    return RestError.badStatement(message, statementText, entities);
  }
  if (err instanceof LogError) {
    return new RestError(500, {
      '@type': 'statement_error',
      error_code: ErrorCode.SERVER_ERROR,
      message: err.message,
      statementText,
      entities,
    });
  }
  return RestError.internal();
}
