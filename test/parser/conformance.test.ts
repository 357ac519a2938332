/**
 * The parser against every statement of ksqlDB's QTT and RQTT suites (read from
 * ../shared/conformance/ksql at test time, never copied into the project):
 * - statements of tests ksqlDB accepts, and of tests that fail later (a semantic error), parse;
 * - every parsed statement round-trips: parse(format(ast)) equals ast, locations aside;
 * - tests that expect a parse error are rejected, at the asserted position and with ksqlDB's
 *   message, except the few listed in `knownMessageDifferences`.
 */
import { describe, expect, it } from 'vitest';
import {
  formatStatement,
  orderByRefusal,
  ParseError,
  parseStatement,
  parseStatements,
  queryOfStatement,
  type Statement,
} from '../../parser/index.js';
import { type CorpusScript, conformanceDir, corpusExists, readCorpus } from './conformance-corpus.js';

/**
 * Parse errors whose wording differs from ksqlDB's, each with the reason. The position is
 * still right for all of them.
 */
const knownMessageDifferences: Readonly<Record<string, string>> = {};

const parseErrorPattern = /Syntax Error|Syntax error|mismatched input|extraneous input|^line \d+:\d+:/;

function expectsParseError(script: CorpusScript): boolean {
  const expected = script.expectedError;
  if (expected === undefined) return false;
  return (
    (expected.type ?? '').endsWith('ParseFailedException') || parseErrorPattern.test(expected.message ?? '')
  );
}

/** The AST without source positions, bigints made comparable. */
function comparable(statement: Statement): unknown {
  return JSON.parse(
    JSON.stringify(statement, (key, value) =>
      /location$/i.test(key) ? undefined : typeof value === 'bigint' ? `${value}n` : value,
    ),
  );
}

function positionOf(message: string): { line: number; column: number } | undefined {
  const match = /line (\d+):(\d+)/i.exec(message) ?? /Line: (\d+), Col: (\d+)/.exec(message);
  return match === null ? undefined : { line: Number(match[1]), column: Number(match[2]) };
}

const dir = conformanceDir();

describe('conformance corpus', () => {
  it('parses, round-trips and rejects like ksqlDB', () => {
    if (!corpusExists(dir)) {
      if (process.env.CI === 'true') throw new Error(`conformance corpus not found at ${dir}`);
      console.log(`conformance corpus not found at ${dir}: skipping (set SLUICE_CONFORMANCE_DIR)`);
      return;
    }
    const { files, scripts, skipped } = readCorpus(dir);
    const total = scripts.reduce((sum, script) => sum + script.statementCount, 0);
    let statements = 0;
    let roundTripped = 0;
    let parseErrorsExpected = 0;
    let parseErrorsMatched = 0;
    const failures: string[] = [];
    const knownDifferencesSeen = new Set<string>();

    for (const script of scripts) {
      const label = `${script.file} "${script.test}"`;
      if (expectsParseError(script)) {
        parseErrorsExpected++;
        const error = rejectionOf(script.parts);
        if (error === undefined) {
          failures.push(`${label}: accepted, expected a parse error`);
          continue;
        }
        const expected = script.expectedError?.message;
        const position = expected === undefined ? undefined : positionOf(expected);
        if (position !== undefined && (position.line !== error.line || position.column !== error.column)) {
          failures.push(
            `${label}: error at ${error.line}:${error.column}, expected ${position.line}:${position.column}`,
          );
          continue;
        }
        // QTT matches the full message; RQTT sees the REST form, whose detail line is redacted.
        const restForm = `${error.redactedMessage}\nStatement: ${error.statementText}`;
        const matches =
          expected === undefined ||
          error.messageWithStatement.includes(expected) ||
          (script.file.startsWith('rest-') && restForm.includes(expected));
        if (matches) parseErrorsMatched++;
        else if (knownMessageDifferences[script.test] !== undefined) knownDifferencesSeen.add(script.test);
        else {
          failures.push(
            `${label}: message ${JSON.stringify(error.message)}, expected ${JSON.stringify(expected)}`,
          );
        }
        continue;
      }
      for (const part of script.parts) {
        let parsed: ReturnType<typeof parseStatements>;
        try {
          parsed = parseStatements(part);
        } catch (error) {
          // ksqlDB raises a few statement errors while building its AST; those must match. Its
          // REST layer prefixes them ("Failed to prepare statement: ..."), hence `endsWith`.
          const expected = script.expectedError?.message;
          if (error instanceof ParseError && expected !== undefined) {
            if (error.message.includes(expected) || expected.endsWith(error.message)) break;
          }
          failures.push(`${label}: ${(error as Error).message}`);
          break;
        }
        for (const { statement, text } of parsed) {
          statements++;
          const formatted = formatStatement(statement);
          try {
            const back = parseStatement(formatted).statement;
            expect(comparable(back)).toEqual(comparable(statement));
            roundTripped++;
          } catch (error) {
            failures.push(
              `${label}: round trip of ${text}\n  as ${formatted}\n  ${(error as Error).message}`,
            );
          }
        }
      }
    }

    console.log(
      `conformance: ${files} files, ${scripts.length} scripts (${skipped} without a {FORMAT} value), ` +
        `${total} statements, ${statements} parsed in tests that accept them or fail later, ${roundTripped} round-tripped, ` +
        `${parseErrorsMatched}/${parseErrorsExpected} expected parse errors matched ` +
        `(${knownDifferencesSeen.size} known wording differences)`,
    );
    expect(failures).toEqual([]);
    // A known difference that no longer shows up must leave the list.
    expect([...knownDifferencesSeen].sort()).toEqual(Object.keys(knownMessageDifferences).sort());
    expect(parseErrorsMatched + knownDifferencesSeen.size).toBe(parseErrorsExpected);
    expect(roundTripped).toBe(statements);
  });
});

/**
 * The parse error of a script. ORDER BY, which ksqlDB's grammar lacks, parses here and is refused
 * after parsing (except in pull queries answered by DuckDB): that refusal counts as the error.
 */
function rejectionOf(parts: readonly string[]): ParseError | undefined {
  for (const part of parts) {
    try {
      for (const { statement, text } of parseStatements(part)) {
        const query = queryOfStatement(statement);
        const refusal = query === undefined ? undefined : orderByRefusal(query, text);
        if (refusal !== undefined) return refusal;
      }
    } catch (error) {
      if (error instanceof ParseError) return error;
      throw error;
    }
  }
  return undefined;
}
