/**
 * Reads the statements of ksqlDB's QTT and RQTT files (test data kept outside the project, see
 * ../shared/conformance/ksql/SOURCE.md) the way upstream joins them into scripts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusScript {
  readonly file: string;
  readonly test: string;
  /**
   * The texts the test sends to the parser, `{FORMAT}` expanded. QTT: all statements joined
   * with newlines. RQTT: the non-query statements joined the same way, then each `SELECT `
   * statement on its own (upstream sends those to /query one by one).
   */
  readonly parts: readonly string[];
  readonly statementCount: number;
  readonly expectedError?: { readonly type?: string; readonly message?: string };
}

interface RawTest {
  name: string;
  statements: string[];
  format?: string[];
  enabled?: boolean;
  expectedException?: { type?: string; message?: string };
  expectedError?: { type?: string; message?: string };
}

export { conformanceDir } from '../support/conformance.js';

const suites = ['query-validation-tests', 'rest-query-validation-tests'];

export function corpusExists(dir: string): boolean {
  return suites.every((suite) => existsSync(join(dir, suite)));
}

/** One script per test and `{FORMAT}` value; disabled tests and unexpandable ones are left out. */
export function readCorpus(dir: string): { files: number; scripts: CorpusScript[]; skipped: number } {
  const scripts: CorpusScript[] = [];
  let files = 0;
  let skipped = 0;
  for (const suite of suites) {
    for (const file of readdirSync(join(dir, suite))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      files++;
      const { tests } = JSON.parse(readFileSync(join(dir, suite, file), 'utf8')) as { tests: RawTest[] };
      for (const test of tests) {
        if (test.enabled === false) continue;
        const rest = suite === 'rest-query-validation-tests';
        const joined = test.statements.join('\n');
        const usesFormat = joined.includes('{FORMAT}');
        if (usesFormat && (test.format === undefined || test.format.length === 0)) {
          skipped++;
          continue;
        }
        const formats = usesFormat ? [...new Set(test.format)] : [undefined];
        const expectedError = test.expectedException ?? test.expectedError;
        for (const format of formats) {
          scripts.push({
            file: `${suite}/${file}`,
            test: format === undefined ? test.name : `${test.name} - ${format}`,
            parts: splitParts(rest, test.statements).map((part) =>
              format === undefined ? part : part.replaceAll('{FORMAT}', format),
            ),
            statementCount: test.statements.length,
            ...(expectedError === undefined ? {} : { expectedError }),
          });
        }
      }
    }
  }
  return { files, scripts, skipped };
}

function splitParts(rest: boolean, statements: readonly string[]): string[] {
  if (!rest) return [statements.join('\n')];
  const queries = statements.filter((s) => s.startsWith('SELECT '));
  const admin = statements.filter((s) => !s.startsWith('SELECT '));
  return [...(admin.length === 0 ? [] : [admin.join('\n')]), ...queries];
}
