import { TestFileError } from './qtt-loader.js';
import type { PropertyValue, QttFile, QueryTest, RestTest } from './qtt-model.js';

/** Keys in `properties` that configure the test harness, not the engine. */
const harnessOnlyProperties = ['use.exact.numeric.comparison'];

/**
 * What `{FORMAT}` becomes in a test that has no `format` list: a sentence that is no format
 * name, so the statement fails as it does upstream instead of running with a guess.
 */
export const missingFormatText = 'the test uses {FORMAT} but has no format list';

/** Settings of the comparison, taken from harness-only properties. */
export interface HarnessSettings {
  /**
   * true (the default): fractional JSON numbers compare as exact decimals, scale included.
   * false (`use.exact.numeric.comparison: false`): they compare as doubles within 1e-6.
   */
  exactNumericComparison: boolean;
}

interface ExpandedCaseBase {
  /** The test file's path, as loaded. */
  file: string;
  /** Unique across the suite, as upstream names it: `<file> - <test>[ - <FORMAT>][ - <property>=<value>]`. */
  name: string;
  /** The format this case substitutes for `{FORMAT}`, if the test was expanded by format. */
  format?: string;
  /** Statements after substitution; run them as one script (`script`). */
  statements: readonly string[];
  /** The statements joined with newlines, as upstream runs them. */
  script: string;
  /** Engine configuration overrides for every statement (harness-only keys removed). */
  properties: Readonly<Record<string, PropertyValue>>;
  harness: HarnessSettings;
}

export interface QueryCase extends ExpandedCaseBase {
  suite: 'qtt';
  test: QueryTest;
  /** The config variant, if the test was expanded by `config`. */
  config?: { property: string; value: string };
}

export interface RestCase extends ExpandedCaseBase {
  suite: 'rqtt';
  test: RestTest;
}

export type ExpandedCase = QueryCase | RestCase;

/**
 * Expands every enabled test of a file into its runnable cases: one per `format` entry (or
 * one without), times one per `config` entry (or one without). Throws `TestFileError` when
 * two cases of the file would get the same name, as upstream refuses them.
 */
export function expandTestFile(file: QttFile): ExpandedCase[] {
  const cases: ExpandedCase[] = [];
  const seen = new Set<string>();
  for (const test of file.tests) {
    for (const expanded of expandTest(file, test)) {
      if (seen.has(expanded.name)) {
        throw new TestFileError(
          file.path,
          `two cases are named "${expanded.name}"`,
          `#${test.index + 1}`,
          'name',
        );
      }
      seen.add(expanded.name);
      cases.push(expanded);
    }
  }
  return cases;
}

export function expandTest(file: QttFile, test: QueryTest | RestTest): ExpandedCase[] {
  if (!test.enabled) return [];
  const formats: readonly (string | undefined)[] = test.formats.length > 0 ? test.formats : [undefined];
  const cases: ExpandedCase[] = [];
  for (const format of formats) {
    const statements = test.statements.map((statement) =>
      statement.replaceAll('{FORMAT}', format ?? missingFormatText),
    );
    const formatName = caseName(file.fileName, test.name, format);
    const common = {
      file: file.path,
      statements,
      script: statements.join('\n'),
      ...(format ? { format } : {}),
    };
    if (test.suite === 'rqtt') {
      cases.push({ suite: 'rqtt', test, name: formatName, ...common, ...splitProperties(test.properties) });
      continue;
    }
    if (test.configs.length === 0 || test.configProperty === undefined) {
      cases.push({ suite: 'qtt', test, name: formatName, ...common, ...splitProperties(test.properties) });
      continue;
    }
    for (const value of test.configs) {
      const property = test.configProperty;
      cases.push({
        suite: 'qtt',
        test,
        name: `${formatName} - ${property}=${value}`,
        config: { property, value },
        ...common,
        ...splitProperties({ ...test.properties, [property]: value }),
      });
    }
  }
  return cases;
}

/** `<file name without .json> - <test name>[ - <FORMAT>]`. */
export function caseName(fileName: string, testName: string, format?: string): string {
  return format === undefined ? `${fileName} - ${testName}` : `${fileName} - ${testName} - ${format}`;
}

function splitProperties(all: Readonly<Record<string, PropertyValue>>): {
  properties: Readonly<Record<string, PropertyValue>>;
  harness: HarnessSettings;
} {
  const properties: Record<string, PropertyValue> = {};
  for (const [name, value] of Object.entries(all)) {
    if (!harnessOnlyProperties.includes(name)) properties[name] = value;
  }
  return { properties, harness: { exactNumericComparison: !isFalse(all['use.exact.numeric.comparison']) } };
}

function isFalse(value: PropertyValue | undefined): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}

/** A property value as the text a `SET 'name'='value'` would carry. */
export function propertyText(value: PropertyValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return value.toString();
}
