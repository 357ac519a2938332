/**
 * Typed, validating access to the fields of one test in a test file. Every failure is a
 * `TestFileError` naming the file, the test and the field, so a broken file is fixed quickly.
 */
import { isJsonObject, JsonNumber, type QttJson, type QttJsonObject } from './json-values.js';

/** A test file that cannot be used: names the file, the test and the field at fault. */
export class TestFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly test?: string,
    readonly field?: string,
  ) {
    super(
      [
        file,
        test === undefined ? undefined : `test ${test}`,
        field === undefined ? undefined : `field "${field}"`,
      ]
        .filter((part) => part !== undefined)
        .join(': ') + `: ${problem}`,
    );
    this.name = 'TestFileError';
  }
}

/** Typed access to one test's fields; every failure names the file, the test and the field. */
export class Fields {
  readonly object: QttJsonObject;
  readonly testLabel: string;

  constructor(
    readonly path: string,
    readonly index: number,
    value: QttJson,
  ) {
    this.testLabel = `#${index + 1}`;
    if (!isJsonObject(value)) throw new TestFileError(path, 'must be a JSON object', this.testLabel);
    this.object = value;
    if (typeof value.name === 'string' && value.name !== '') this.testLabel = `#${index + 1} "${value.name}"`;
  }

  fail(field: string, problem: string): never {
    throw new TestFileError(this.path, problem, this.testLabel, field);
  }

  has(field: string): boolean {
    return this.object[field] !== undefined;
  }

  string(field: string): string {
    const value = this.object[field];
    if (typeof value !== 'string' || value === '') this.fail(field, 'must be a non-empty string');
    return value;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.object[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value;
  }

  stringList(field: string, { nonEmpty = false } = {}): readonly string[] {
    const value = this.object[field];
    if (value === undefined || value === null) {
      if (nonEmpty) this.fail(field, 'must be a non-empty array of strings');
      return [];
    }
    if (!Array.isArray(value) || (nonEmpty && value.length === 0)) {
      this.fail(field, `must be ${nonEmpty ? 'a non-empty' : 'an'} array of strings`);
    }
    return value.map((item: QttJson, i: number) => checkString(this, `${field}[${i}]`, item));
  }

  objectList(field: string): readonly QttJson[] {
    const value = this.object[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(field, 'must be an array');
    return value;
  }

  object_(field: string): QttJsonObject | undefined {
    const value = this.object[field];
    if (value === undefined || value === null) return undefined;
    if (!isJsonObject(value)) this.fail(field, 'must be a JSON object');
    return value;
  }
}

export function checkString(fields: Fields, field: string, value: QttJson | undefined): string {
  if (typeof value !== 'string') fields.fail(field, 'must be a string');
  return value;
}

export function optionalInteger(
  fields: Fields,
  field: string,
  value: QttJson | undefined,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof JsonNumber) || !value.isInteger || !Number.isSafeInteger(value.toNumber())) {
    fields.fail(field, 'must be an integer');
  }
  return value.toNumber();
}

export function optionalText(fields: Fields, field: string, value: QttJson | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fields.fail(field, 'must be a string');
  return value;
}

export function optionalStrings(
  fields: Fields,
  field: string,
  value: QttJson | undefined,
): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    fields.fail(field, 'must be an array of strings');
  }
  return value as readonly string[];
}

/** Optional fields are left out rather than set to undefined, so models compare and print cleanly. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
