import type { ExpectedException } from './qtt-model.js';

/**
 * Sluice's error categories as the judge sees them. Upstream tests name Java exception
 * classes; each class accepts the kinds of its subclasses (see `kindsByJavaType`).
 */
export type EngineErrorKind =
  /** A syntax error (upstream: ParseFailedException). */
  | 'parse'
  /** A statement rejected during analysis or planning (KsqlStatementException). */
  | 'statement'
  /** A function failed, e.g. decimal overflow in SUM (KsqlFunctionException). */
  | 'function'
  /** A record could not be serialized or deserialized (SerializationException). */
  | 'serde'
  /** Any other engine error (KsqlException). */
  | 'engine'
  /** A fatal failure while processing records; its cause says why (StreamsException). */
  | 'processing';

/** An error the engine raised while running a case: the shape of Sluice's SqlError, reduced. */
export interface EngineError {
  kind: EngineErrorKind;
  message: string;
  /** The message with the full statement text, which upstream also accepts a match on. */
  unloggedMessage?: string;
  /** The direct cause, checked by `cause`/`causeMessage`. */
  cause?: { kind: EngineErrorKind; message: string };
  /** 0-based index of the failing statement in the script, and the script's statement count. */
  statementIndex?: number;
  statementCount?: number;
}

const kindsByJavaType: Readonly<Record<string, readonly EngineErrorKind[]>> = {
  'io.confluent.ksql.parser.exception.ParseFailedException': ['parse'],
  'io.confluent.ksql.util.KsqlStatementException': ['parse', 'statement'],
  'io.confluent.ksql.function.KsqlFunctionException': ['function'],
  'org.apache.kafka.common.errors.SerializationException': ['serde'],
  'io.confluent.ksql.util.KsqlException': ['parse', 'statement', 'function', 'serde', 'engine'],
  'org.apache.kafka.streams.errors.StreamsException': ['processing'],
};

/** The error kinds an expected Java exception type accepts; undefined for a type we do not know. */
export function kindsForJavaType(type: string): readonly EngineErrorKind[] | undefined {
  const exact = kindsByJavaType[type];
  if (exact) return exact;
  const simpleName = type.slice(type.lastIndexOf('.') + 1);
  const match = Object.keys(kindsByJavaType).find((name) => name.endsWith(`.${simpleName}`));
  return match === undefined ? undefined : kindsByJavaType[match];
}

/**
 * Judges a negative test. Returns why it fails, or undefined when the error is the one
 * expected: a kind the Java type accepts, a message containing the expected text (or an
 * unlogged message that does), the same for the direct cause, and only the last statement
 * of the script failing.
 */
export function checkExpectedException(
  expected: ExpectedException,
  error: EngineError | undefined,
): string | undefined {
  const wanted = describeExpectedException(expected);
  if (!error) return `expected ${wanted}, but no error was raised`;
  const { statementIndex, statementCount } = error;
  if (statementIndex !== undefined && statementCount !== undefined && statementIndex < statementCount - 1) {
    return (
      `expected ${wanted} from the last statement, but statement ${statementIndex + 1} of ${statementCount} ` +
      `failed: ${describeError(error)}`
    );
  }
  const problem =
    typeProblem(expected.type, error.kind) ??
    messageProblem(expected.message, error.message, error.unloggedMessage) ??
    causeProblem(expected, error);
  return problem === undefined ? undefined : `expected ${wanted}, got ${describeError(error)}: ${problem}`;
}

function typeProblem(type: string | undefined, kind: EngineErrorKind): string | undefined {
  if (type === undefined) return undefined;
  const kinds = kindsForJavaType(type);
  if (!kinds) return `the expected type ${type} has no Sluice error kind (add it to exception-check.ts)`;
  return kinds.includes(kind)
    ? undefined
    : `a ${kind} error is not a ${simpleName(type)} (${kinds.join(' or ')})`;
}

function messageProblem(
  expected: string | undefined,
  message: string,
  unlogged?: string,
): string | undefined {
  if (expected === undefined || message.includes(expected) || unlogged?.includes(expected)) return undefined;
  return `the message does not contain ${JSON.stringify(expected)}`;
}

function causeProblem(expected: ExpectedException, error: EngineError): string | undefined {
  if (expected.cause === undefined) return undefined;
  if (!error.cause) return `expected a cause ${simpleName(expected.cause)}, but the error has none`;
  const problem =
    typeProblem(expected.cause, error.cause.kind) ??
    messageProblem(expected.causeMessage, error.cause.message);
  return problem === undefined ? undefined : `cause: ${problem}`;
}

export function describeError(error: EngineError): string {
  const cause = error.cause ? ` (cause: ${error.cause.kind} error: ${error.cause.message})` : '';
  return `${error.kind} error: ${error.message}${cause}`;
}

function describeExpectedException(expected: ExpectedException): string {
  const parts = [expected.type === undefined ? 'an error' : simpleName(expected.type)];
  if (expected.message !== undefined) parts.push(`containing ${JSON.stringify(expected.message)}`);
  if (expected.cause !== undefined) {
    parts.push(`caused by ${simpleName(expected.cause)}`);
    if (expected.causeMessage !== undefined)
      parts.push(`containing ${JSON.stringify(expected.causeMessage)}`);
  }
  return parts.join(' ');
}

function simpleName(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}
