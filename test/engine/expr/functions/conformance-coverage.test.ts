import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { builtinFunctions } from '../../../../engine/expr/functions/registry.js';
import { parseStatements } from '../../../../parser/index.js';
import { conformanceDir, conformanceUnavailable } from '../../../support/conformance.js';

/**
 * Names called in the conformance statements that the registry does not know. Most are the
 * test-only UDFs ksqlDB's suite loads from its own jar (TEST_UDF, MID_VAR_ARG, ...). The
 * number may only go down.
 */
const MAX_UNKNOWN_FUNCTION_NAMES = 15;

function collectCalls(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectCalls(item, into);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.kind === 'FunctionCall' && typeof record.name === 'string') into.add(record.name.toUpperCase());
  for (const value of Object.values(record)) collectCalls(value, into);
}

function statementsOf(file: string): string[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { tests?: { statements?: string[] }[] };
  return (json.tests ?? []).flatMap((t) => t.statements ?? []);
}

it('knows every function the conformance statements call', (context) => {
  const unavailable = conformanceUnavailable();
  if (unavailable !== undefined) {
    console.log(`skipping: ${unavailable}`);
    context.skip(unavailable);
  }
  const called = new Set<string>();
  let unparsed = 0;
  let firstParseError = '';
  for (const folder of ['query-validation-tests', 'rest-query-validation-tests']) {
    const dir = join(conformanceDir(), folder);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      for (const statement of statementsOf(join(dir, name))) {
        try {
          collectCalls(parseStatements(statement.replaceAll('{FORMAT}', 'JSON')), called);
        } catch (e) {
          unparsed++;
          firstParseError ||= (e as Error).message;
        }
      }
    }
  }
  const known = (name: string) =>
    builtinFunctions.isScalar(name) || builtinFunctions.isTable(name) || builtinFunctions.isAggregate(name);
  const unknown = [...called].filter((name) => !known(name)).sort();
  console.log(
    `function coverage: ${called.size - unknown.length}/${called.size} called names known ` +
      `(${unparsed} statements did not parse, first: ${firstParseError}); unknown: ${unknown.join(', ')}`,
  );
  expect(called.size).toBeGreaterThan(100);
  expect(unknown.length).toBeLessThanOrEqual(MAX_UNKNOWN_FUNCTION_NAMES);
});
