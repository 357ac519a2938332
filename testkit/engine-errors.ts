/**
 * Sluice's errors as the judge sees them. The executor adapter passes whatever the engine
 * threw through `engineErrorOutcome`; only the error codes are read, so the engine stays
 * free of any test-runner import.
 */
import { SqlError } from '../parser/errors.js';
import type { EngineError, EngineErrorKind } from './exception-check.js';
import { type ErrorOutcome, UnsupportedFeatureError } from './executor.js';

/** SqlError codes by the kind of error upstream's tests expect for them. */
const kindByCode: Readonly<Record<string, EngineErrorKind>> = {
  PARSE_ERROR: 'parse',
  STATEMENT_ERROR: 'statement',
  // Raised while a statement is analysed: a format that cannot hold the columns, a bad property.
  FORMAT_SCHEMA_ERROR: 'statement',
  FORMAT_CONFIG_ERROR: 'statement',
  SERDE_ERROR: 'serde',
};

/**
 * The outcome for an error the engine raised while running a case's statements or records.
 * Throws `UnsupportedFeatureError` for Sluice's "not supported yet" errors (code
 * `UNSUPPORTED`), so the case is skipped; rethrows anything that is not a Sluice error, so
 * the case fails with it.
 */
export function engineErrorOutcome(
  error: unknown,
  position: { statementIndex?: number; statementCount?: number } = {},
): ErrorOutcome {
  const code = errorCode(error);
  if (code === 'UNSUPPORTED') {
    const feature = (error as { feature?: unknown }).feature;
    throw new UnsupportedFeatureError(
      typeof feature === 'string' ? feature : 'a feature',
      (error as Error).message,
    );
  }
  const kind = code === undefined ? undefined : kindByCode[code];
  if (!(error instanceof Error) || (kind === undefined && !(error instanceof SqlError))) throw error;
  const engineError: EngineError = { kind: kind ?? 'engine', message: error.message, ...position };
  if (error instanceof SqlError && error.statementText !== undefined) {
    engineError.unloggedMessage = error.messageWithStatement;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const causeCode = errorCode(cause);
    engineError.cause = { kind: (causeCode && kindByCode[causeCode]) || 'engine', message: cause.message };
  }
  return { kind: 'error', error: engineError };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
