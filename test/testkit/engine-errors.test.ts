import { describe, expect, it } from 'vitest';
import { StatementError, UnsupportedStatementError } from '../../engine/errors.js';
import { SerdeError } from '../../engine/serde/errors.js';
import { ParseError } from '../../parser/errors.js';
import { engineErrorOutcome } from '../../testkit/engine-errors.js';
import { checkExpectedException } from '../../testkit/exception-check.js';
import { isUnsupportedFeature } from '../../testkit/executor.js';

const location = { line: 1, column: 8, offset: 7 };

describe('engine errors as the judge sees them', () => {
  it('maps a parse error, keeping the statement text for the unlogged message', () => {
    const error = new ParseError({
      message: "line 1:8: Syntax error at or near 'FRM'",
      location,
      statementText: 'SELECT FRM X;',
    });
    const outcome = engineErrorOutcome(error, { statementIndex: 0, statementCount: 1 });
    expect(outcome.error).toEqual({
      kind: 'parse',
      message: "line 1:8: Syntax error at or near 'FRM'",
      unloggedMessage: "line 1:8: Syntax error at or near 'FRM'\nStatement: SELECT FRM X;",
      statementIndex: 0,
      statementCount: 1,
    });
    const expected = {
      type: 'io.confluent.ksql.util.KsqlStatementException',
      message: 'Statement: SELECT FRM',
    };
    expect(checkExpectedException(expected, outcome.error)).toBeUndefined();
  });

  it('maps a statement error with its cause', () => {
    const error = new StatementError('Unknown format: FOO');
    (error as { cause?: unknown }).cause = new SerdeError('bad bytes');
    expect(engineErrorOutcome(error).error).toEqual({
      kind: 'statement',
      message: 'Unknown format: FOO',
      cause: { kind: 'serde', message: 'bad bytes' },
    });
  });

  it('turns "not supported yet" into a skip, and anything else into a failure', () => {
    let thrown: unknown;
    try {
      engineErrorOutcome(new UnsupportedStatementError('AVRO format', 'AVRO needs a Schema Registry'));
    } catch (err) {
      thrown = err;
    }
    expect(isUnsupportedFeature(thrown)).toBe(true);
    expect((thrown as Error).message).toBe('not supported yet: AVRO format (AVRO needs a Schema Registry)');
    const bug = new TypeError('x is undefined');
    expect(() => engineErrorOutcome(bug)).toThrow(bug);
  });
});
