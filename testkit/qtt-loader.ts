import { readFile } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import { isJsonObject, JsonNumber, JsonSyntaxError, parseQttJson, type QttJson } from './json-values.js';
import { readExpectedException, readPost } from './post-loader.js';
import type {
  PropertyValue,
  QttFile,
  QttTestDefinition,
  SchemaReference,
  Suite,
  TestHeader,
  TestRecord,
  TopicDefinition,
  WindowBounds,
} from './qtt-model.js';
import { readExpectedError, readFlags, readResponse } from './rest-loader.js';
import {
  dropUndefined,
  Fields,
  optionalInteger,
  optionalStrings,
  optionalText,
  TestFileError,
} from './test-fields.js';

export { TestFileError };

/** Reads and validates one QTT or RQTT file. Throws `TestFileError`. */
export async function loadTestFile(path: string, suite?: Suite): Promise<QttFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TestFileError(path, `cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseTestFile(text, path, suite);
}

/**
 * Validates a test file's text. The suite is taken from `suite`, else from a
 * `rest-query-validation-tests` folder in the path, else from the content (RQTT-only fields).
 */
export function parseTestFile(text: string, path: string, suite?: Suite): QttFile {
  let root: QttJson;
  try {
    root = parseQttJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new TestFileError(path, `invalid JSON: ${err.message}`);
    throw err;
  }
  if (!isJsonObject(root))
    throw new TestFileError(path, 'the file must hold a JSON object with a "tests" array');
  const tests = root.tests;
  if (!Array.isArray(tests) || tests.length === 0) {
    throw new TestFileError(path, 'must be a non-empty array of test objects', undefined, 'tests');
  }
  const fileSuite = suite ?? suiteOf(path, tests);
  const fileName = basename(path).replace(/\.json$/i, '');
  return {
    suite: fileSuite,
    path,
    fileName,
    tests: tests.map((test: QttJson, index: number) => readTest(new Fields(path, index, test), fileSuite)),
  };
}

const restOnlyFields = [
  'responses',
  'expectedError',
  'inputConditions',
  'outputConditions',
  'testPullWithProtoFormat',
];

function suiteOf(path: string, tests: readonly QttJson[]): Suite {
  if (
    path.split(sep).includes('rest-query-validation-tests') ||
    path.includes('rest-query-validation-tests/')
  ) {
    return 'rqtt';
  }
  const restLike = tests.some((test) => isJsonObject(test) && restOnlyFields.some((field) => field in test));
  return restLike ? 'rqtt' : 'qtt';
}

function readTest(fields: Fields, suite: Suite): QttTestDefinition {
  const base = {
    index: fields.index,
    name: fields.string('name'),
    statements: fields.stringList('statements', { nonEmpty: true }),
    inputs: fields.objectList('inputs').map((record, i) => readRecord(fields, `inputs[${i}]`, record)),
    outputs: fields.objectList('outputs').map((record, i) => readRecord(fields, `outputs[${i}]`, record)),
    topics: fields.objectList('topics').map((topic, i) => readTopic(fields, `topics[${i}]`, topic)),
    formats: fields.stringList('format'),
    properties: readProperties(fields),
    enabled: fields.boolean('enabled', true),
  };
  if (suite === 'qtt') {
    const configs = fields.stringList('config');
    const test = {
      ...base,
      suite,
      configs,
      expectedException: readExpectedException(fields),
      post: readPost(fields),
    };
    if (!test.expectedException) delete test.expectedException;
    if (!test.post) delete test.post;
    if (!fields.has('inputs') && !fields.has('outputs') && !test.expectedException) {
      fields.fail('inputs', 'a test needs "inputs", "outputs" or "expectedException"');
    }
    if (configs.length === 0) return test;
    return { ...test, configProperty: configPlaceholderProperty(fields, base.properties) };
  }
  const test = {
    ...base,
    suite,
    responses: fields.objectList('responses').map((item, i) => readResponse(fields, `responses[${i}]`, item)),
    expectedError: readExpectedError(fields),
    inputConditions: readFlags(fields, 'inputConditions', 'waitForActivePushQuery') as
      | { waitForActivePushQuery: boolean }
      | undefined,
    outputConditions: readFlags(fields, 'outputConditions', 'verifyOrder') as
      | { verifyOrder: boolean }
      | undefined,
    testPullWithProtoFormat: fields.boolean('testPullWithProtoFormat', false),
  };
  if (!test.expectedError) delete test.expectedError;
  if (!test.inputConditions) delete test.inputConditions;
  if (!test.outputConditions) delete test.outputConditions;
  if (test.expectedError && base.inputs.length > 0) {
    fields.fail('expectedError', 'cannot be combined with "inputs"');
  }
  const firstQuery = base.statements.findIndex((statement) => statement.startsWith('SELECT '));
  if (
    firstQuery >= 0 &&
    base.statements.slice(firstQuery).some((statement) => !statement.startsWith('SELECT '))
  ) {
    fields.fail('statements', 'queries (SELECT ...) must come after every other statement');
  }
  return test;
}

/** The property whose value is `{CONFIG}` (any case); exactly one must exist when `config` is given. */
function configPlaceholderProperty(
  fields: Fields,
  properties: Readonly<Record<string, PropertyValue>>,
): string {
  const names = Object.keys(properties).filter((name) => {
    const value = properties[name];
    return typeof value === 'string' && value.toUpperCase() === '{CONFIG}';
  });
  if (names.length !== 1 || names[0] === undefined) {
    fields.fail('config', `needs exactly one property with the value "{CONFIG}", found ${names.length}`);
  }
  return names[0];
}

function readProperties(fields: Fields): Readonly<Record<string, PropertyValue>> {
  const properties = fields.object_('properties') ?? {};
  for (const [name, value] of Object.entries(properties)) {
    if (value !== null && typeof value === 'object' && !(value instanceof JsonNumber)) {
      fields.fail(`properties.${name}`, 'must be a string, a number or a boolean');
    }
  }
  return properties as Readonly<Record<string, PropertyValue>>;
}

function readRecord(fields: Fields, field: string, value: QttJson): TestRecord {
  if (!isJsonObject(value)) fields.fail(field, 'must be a JSON object');
  const topic = value.topic;
  if (typeof topic !== 'string' || topic === '') fields.fail(`${field}.topic`, 'must be a non-empty string');
  if (!('value' in value)) fields.fail(`${field}.value`, 'is required (null for a tombstone)');
  return {
    topic,
    key: value.key,
    value: value.value ?? null,
    timestamp: optionalInteger(fields, `${field}.timestamp`, value.timestamp),
    window: readWindow(fields, `${field}.window`, value.window),
    headers: readHeaders(fields, `${field}.headers`, value.headers),
  };
}

function readWindow(fields: Fields, field: string, value: QttJson | undefined): WindowBounds | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) fields.fail(field, 'must be {"start", "end", "type"}');
  const type = typeof value.type === 'string' ? value.type.toLowerCase() : undefined;
  if (type !== 'time' && type !== 'session') fields.fail(`${field}.type`, 'must be "time" or "session"');
  const start = optionalInteger(fields, `${field}.start`, value.start);
  const end = optionalInteger(fields, `${field}.end`, value.end);
  if (start === undefined) fields.fail(`${field}.start`, 'is required');
  if (end === undefined) fields.fail(`${field}.end`, 'is required');
  return { start, end, type };
}

function readHeaders(
  fields: Fields,
  field: string,
  value: QttJson | undefined,
): readonly TestHeader[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fields.fail(field, 'must be an array of {"KEY", "VALUE"}');
  return value.map((header: QttJson, i: number) => {
    if (!isJsonObject(header) || typeof header.KEY !== 'string') {
      fields.fail(`${field}[${i}]`, 'must be {"KEY": string, "VALUE": base64 string or null}');
    }
    const headerValue = header.VALUE ?? null;
    if (headerValue !== null && typeof headerValue !== 'string') {
      fields.fail(`${field}[${i}].VALUE`, 'must be a base64 string or null');
    }
    return { key: header.KEY, value: headerValue };
  });
}

function readTopic(fields: Fields, field: string, value: QttJson): TopicDefinition {
  if (!isJsonObject(value)) fields.fail(field, 'must be a JSON object');
  const name = value.name;
  if (typeof name !== 'string' || name === '') fields.fail(`${field}.name`, 'must be a non-empty string');
  const text = (key: string) => optionalText(fields, `${field}.${key}`, value[key]);
  const features = (key: string) => optionalStrings(fields, `${field}.${key}`, value[key]);
  const references = (key: string) => optionalReferences(fields, `${field}.${key}`, value[key]);
  const integer = (key: string) => optionalInteger(fields, `${field}.${key}`, value[key]);
  return dropUndefined({
    name,
    keyFormat: text('keyFormat'),
    valueFormat: text('valueFormat'),
    keySchema: value.keySchema ?? undefined,
    valueSchema: value.valueSchema ?? undefined,
    keySchemaId: integer('keySchemaId'),
    valueSchemaId: integer('valueSchemaId'),
    keySchemaReferences: references('keySchemaReferences'),
    valueSchemaReferences: references('valueSchemaReferences'),
    partitions: integer('partitions') ?? 1,
    replicas: integer('replicas') ?? 1,
    keySerdeFeatures: features('keySerdeFeatures'),
    valueSerdeFeatures: features('valueSerdeFeatures'),
  });
}

function optionalReferences(fields: Fields, field: string, value: QttJson | undefined) {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fields.fail(field, 'must be an array of {"name", "format", "schema"}');
  return value.map((reference: QttJson, i: number): SchemaReference => {
    if (!isJsonObject(reference) || typeof reference.name !== 'string') {
      fields.fail(`${field}[${i}]`, 'must be {"name": string, "format"?: string, "schema": ...}');
    }
    return dropUndefined({
      name: reference.name,
      format: optionalText(fields, `${field}[${i}].format`, reference.format),
      schema: reference.schema ?? null,
    });
  });
}
