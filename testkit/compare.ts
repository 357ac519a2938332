/**
 * Judges actual output records against a test's expected `outputs`, following upstream's
 * rules (qtt-format.md §3): per topic, same count, pairwise in order; a missing key means a
 * null key, missing headers mean no headers, a missing timestamp accepts any; numbers by the
 * kind of the expected literal (see `matchValue`).
 */
import { type ActualRecord, type ActualValue, isActualFields } from './actual-values.js';
import { ExactDecimal } from './exact-decimal.js';
import { isJsonObject, JsonNumber, type QttJson } from './json-values.js';
import type { TestRecord } from './qtt-model.js';
import { describeActual, describeExpected, renderActualRecord, renderExpectedRecord } from './render.js';

/** Where and how an expected value and the actual one differ. */
export interface ValueMismatch {
  /** e.g. `value.ADDRESS.CITY`, `key[2]`, `value` */
  path: string;
  expected: string;
  actual: string;
}

/** Absolute tolerance when either side is a double, as upstream. */
const doubleTolerance = 0.000_001;

/** Returns the first place where `actual` fails to match `expected`, or undefined if it matches. */
export function matchValue(expected: QttJson, actual: ActualValue, path: string): ValueMismatch | undefined {
  const mismatch = (): ValueMismatch => ({
    path,
    expected: describeExpected(expected),
    actual: describeActual(actual),
  });
  if (expected === null) return actual === null ? undefined : mismatch();
  if (typeof expected === 'boolean') return actual === expected ? undefined : mismatch();
  if (typeof expected === 'string') return matchesString(expected, actual) ? undefined : mismatch();
  if (expected instanceof JsonNumber) return matchesNumber(expected, actual) ? undefined : mismatch();
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return mismatch();
    if (actual.length !== expected.length) {
      return { path, expected: `${expected.length} elements`, actual: `${actual.length} elements` };
    }
    for (let i = 0; i < expected.length; i++) {
      const found = matchValue(expected[i] as QttJson, actual[i] as ActualValue, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isJsonObject(expected)) return mismatch();
  if (!isActualFields(actual)) return mismatch();
  const expectedNames = Object.keys(expected);
  for (const name of expectedNames) {
    const upper = name.toUpperCase();
    const actualName = Object.hasOwn(actual, name) ? name : Object.hasOwn(actual, upper) ? upper : undefined;
    // Upstream looks fields up in a map, where a missing field reads as null: an expected
    // null matches a field that is not there (the field count is still checked below).
    if (actualName === undefined && expected[name] !== null) {
      return {
        path: `${path}.${name}`,
        expected: describeExpected(expected[name]),
        actual: '(no such field)',
      };
    }
    const actualValue = actualName === undefined ? null : (actual[actualName] as ActualValue);
    const found = matchValue(expected[name] as QttJson, actualValue, `${path}.${name}`);
    if (found) return found;
  }
  const actualNames = Object.keys(actual);
  if (actualNames.length !== expectedNames.length) {
    const expectedUpper = new Set(expectedNames.flatMap((name) => [name, name.toUpperCase()]));
    const extra = actualNames.filter((name) => !expectedUpper.has(name));
    return {
      path,
      expected: `${expectedNames.length} fields`,
      actual: `${actualNames.length} fields${extra.length > 0 ? ` (unexpected: ${extra.join(', ')})` : ''}`,
    };
  }
  return undefined;
}

function matchesString(expected: string, actual: ActualValue): boolean {
  if (typeof actual === 'string') return actual === expected;
  if (actual instanceof ExactDecimal) return ExactDecimal.parse(expected)?.equals(actual) ?? false;
  if (actual instanceof Uint8Array) return Buffer.from(actual).toString('base64') === expected;
  return false;
}

function matchesNumber(expected: JsonNumber, actual: ActualValue): boolean {
  if (typeof actual === 'number') return Math.abs(expected.toNumber() - actual) < doubleTolerance;
  // Upstream reads an integer field of the expected literal, so a decimal literal is truncated
  // before it meets an int/long: expected 1.9 accepts actual 1.
  if (typeof actual === 'bigint') return expected.toBigInt() === actual;
  if (actual instanceof ExactDecimal) {
    const decimal = expected.toDecimal();
    return expected.isInteger ? actual.scale <= 0 && actual.sameValue(decimal) : actual.equals(decimal);
  }
  return false;
}

/**
 * The harness turns top-level BYTES fields of a map or struct into base64 text before
 * comparing, and an empty byte array there into null.
 */
function withTopLevelBytesAsBase64(value: ActualValue): ActualValue {
  if (!isActualFields(value)) return value;
  const converted: Record<string, ActualValue> = {};
  for (const [name, field] of Object.entries(value)) {
    converted[name] =
      field instanceof Uint8Array
        ? field.length === 0
          ? null
          : Buffer.from(field).toString('base64')
        : field;
  }
  return converted;
}

/** What went wrong on one topic. */
export interface TopicMismatch {
  topic: string;
  /** One line: what differs. */
  summary: string;
  /** Expected and actual records around the difference, one per line. */
  detail: readonly string[];
}

export interface CompareOptions {
  /**
   * Upstream treats an expected timestamp of 0 as "any" in a test with no inputs (one driven
   * by INSERT VALUES only).
   */
  zeroTimestampIsWildcard: boolean;
}

/**
 * Compares every topic that has expected records. `actualByTopic` holds every record that
 * ended up in each topic the engine knows; a topic it does not know cannot be read, which
 * fails the case as upstream. Topics without expected records are not checked.
 */
export function compareOutputs(
  expected: readonly TestRecord[],
  actualByTopic: ReadonlyMap<string, readonly ActualRecord[]>,
  options: CompareOptions,
): TopicMismatch[] {
  const expectedByTopic = new Map<string, TestRecord[]>();
  for (const record of expected) {
    const list = expectedByTopic.get(record.topic) ?? [];
    list.push(record);
    expectedByTopic.set(record.topic, list);
  }
  const mismatches: TopicMismatch[] = [];
  for (const [topic, expectedRecords] of expectedByTopic) {
    const actualRecords = actualByTopic.get(topic);
    if (actualRecords === undefined) {
      mismatches.push({
        topic,
        summary: `topic ${topic}: no source or sink owns this topic, so its records cannot be read`,
        detail: [],
      });
      continue;
    }
    const found = compareTopic(topic, expectedRecords, actualRecords, options);
    if (found) mismatches.push(found);
  }
  return mismatches;
}

const maxListedRecords = 5;

function compareTopic(
  topic: string,
  expected: readonly TestRecord[],
  actual: readonly ActualRecord[],
  options: CompareOptions,
): TopicMismatch | undefined {
  const common = Math.min(expected.length, actual.length);
  let firstDifference: { index: number; mismatches: ValueMismatch[] } | undefined;
  for (let i = 0; i < common && !firstDifference; i++) {
    const found = matchRecord(expected[i] as TestRecord, actual[i] as ActualRecord, options);
    if (found.length > 0) firstDifference = { index: i, mismatches: found };
  }
  if (!firstDifference && expected.length === actual.length) return undefined;

  const detail: string[] = [];
  let summary = `topic ${topic}:`;
  if (expected.length !== actual.length) {
    summary += ` expected ${expected.length} records, got ${actual.length};`;
  }
  if (firstDifference) {
    const { index, mismatches } = firstDifference;
    const where = mismatches.map((m) => `${m.path}: expected ${m.expected}, actual ${m.actual}`).join('; ');
    summary += ` record ${index + 1} differs at ${where}`;
    detail.push(`  expected #${index + 1}: ${renderExpectedRecord(expected[index] as TestRecord)}`);
    detail.push(`  actual   #${index + 1}: ${renderActualRecord(actual[index] as ActualRecord)}`);
  } else {
    summary += ` the first ${common} records match`;
  }
  for (let i = common; i < Math.min(expected.length, common + maxListedRecords); i++) {
    detail.push(`  missing  #${i + 1}: ${renderExpectedRecord(expected[i] as TestRecord)}`);
  }
  for (let i = common; i < Math.min(actual.length, common + maxListedRecords); i++) {
    detail.push(`  extra    #${i + 1}: ${renderActualRecord(actual[i] as ActualRecord)}`);
  }
  const unlisted = Math.abs(expected.length - actual.length) - maxListedRecords;
  if (unlisted > 0) detail.push(`  ... and ${unlisted} more`);
  return { topic, summary, detail };
}

/** All field-level differences of one record pair (window, key, value, timestamp, headers). */
export function matchRecord(
  expected: TestRecord,
  actual: ActualRecord,
  options: CompareOptions,
): ValueMismatch[] {
  const mismatches: ValueMismatch[] = [];
  const push = (found: ValueMismatch | undefined) => found && mismatches.push(found);

  if (expected.window) {
    const { start, end, type } = expected.window;
    if (!actual.window) {
      push({ path: 'window', expected: `${type} [${start}, ${end}]`, actual: 'an unwindowed key' });
    } else if (actual.window.start !== start || actual.window.end !== end || actual.window.type !== type) {
      const a = actual.window;
      push({
        path: 'window',
        expected: `${type} [${start}, ${end}]`,
        actual: `${a.type} [${a.start}, ${a.end}]`,
      });
    }
  } else if (actual.window) {
    const a = actual.window;
    push({ path: 'window', expected: 'an unwindowed key', actual: `${a.type} [${a.start}, ${a.end}]` });
  }
  push(matchValue(expected.key ?? null, withTopLevelBytesAsBase64(actual.key), 'key'));
  push(matchValue(expected.value, withTopLevelBytesAsBase64(actual.value), 'value'));

  const timestamp = expected.timestamp;
  const wildcard = timestamp === undefined || (timestamp === 0 && options.zeroTimestampIsWildcard);
  if (!wildcard && actual.timestamp !== timestamp) {
    push({ path: 'timestamp', expected: String(timestamp), actual: String(actual.timestamp) });
  }
  push(matchHeaders(expected, actual));
  return mismatches;
}

function matchHeaders(expected: TestRecord, actual: ActualRecord): ValueMismatch | undefined {
  const expectedHeaders = expected.headers ?? [];
  const render = (headers: readonly { key: string; value: string | null }[]) =>
    headers.length === 0
      ? 'no headers'
      : `[${headers.map((h) => `${h.key}=${h.value === null ? 'null' : JSON.stringify(h.value)}`).join(', ')}]`;
  const actualHeaders = actual.headers.map((h) => ({
    key: h.key,
    value: h.value === null ? null : Buffer.from(h.value).toString('base64'),
  }));
  const same =
    expectedHeaders.length === actualHeaders.length &&
    expectedHeaders.every((h, i) => {
      const other = actualHeaders[i];
      return other !== undefined && other.key === h.key && sameBase64(h.value, other.value);
    });
  return same
    ? undefined
    : { path: 'headers', expected: render(expectedHeaders), actual: render(actualHeaders) };
}

/** Byte equality through base64, tolerant of the padding a test file may leave out. */
function sameBase64(expected: string | null, actual: string | null): boolean {
  if (expected === null || actual === null) return expected === actual;
  return Buffer.from(expected, 'base64').equals(Buffer.from(actual, 'base64'));
}

/** The mismatches as the text of a failed case's reason. */
export function describeMismatches(mismatches: readonly TopicMismatch[]): string {
  return mismatches.flatMap((m) => [m.summary, ...m.detail]).join('\n');
}
