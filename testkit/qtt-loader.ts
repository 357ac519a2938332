import { readFile } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import {
  isJsonObject,
  JsonNumber,
  JsonSyntaxError,
  parseQttJson,
  type QttJson,
  type QttJsonObject,
} from './json-values.js';
import type {
  ExpectedException,
  ExpectedFormatInfo,
  ExpectedKeyFormat,
  ExpectedResponse,
  ExpectedRestError,
  ExpectedSource,
  ExpectedTopic,
  ExpectedTopics,
  PostConditions,
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

/** Typed access to one test's fields; every failure names the file, the test and the field. */
class Fields {
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

function checkString(fields: Fields, field: string, value: QttJson | undefined): string {
  if (typeof value !== 'string') fields.fail(field, 'must be a string');
  return value;
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

function optionalInteger(fields: Fields, field: string, value: QttJson | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof JsonNumber) || !value.isInteger || !Number.isSafeInteger(value.toNumber())) {
    fields.fail(field, 'must be an integer');
  }
  return value.toNumber();
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

function optionalText(fields: Fields, field: string, value: QttJson | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fields.fail(field, 'must be a string');
  return value;
}

function optionalStrings(
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

function readExpectedException(fields: Fields): ExpectedException | undefined {
  const value = fields.object_('expectedException');
  if (!value) return undefined;
  const text = (key: string) => optionalText(fields, `expectedException.${key}`, value[key]);
  const expected = dropUndefined({
    type: text('type'),
    message: text('message'),
    cause: text('cause'),
    causeMessage: text('causeMessage'),
  });
  if (expected.type === undefined && expected.message === undefined) {
    fields.fail('expectedException', 'needs "type" or "message"');
  }
  if (expected.causeMessage !== undefined && expected.cause === undefined) {
    fields.fail('expectedException.causeMessage', 'needs "cause"');
  }
  return expected;
}

function readPost(fields: Fields): PostConditions | undefined {
  const value = fields.object_('post');
  if (!value) return undefined;
  const sources = value.sources ?? [];
  if (!Array.isArray(sources)) fields.fail('post.sources', 'must be an array');
  const post: PostConditions = {
    sources: sources.map((source: QttJson, i: number) =>
      readExpectedSource(fields, `post.sources[${i}]`, source),
    ),
  };
  const topics = readExpectedTopics(fields, value.topics);
  return topics ? { ...post, topics } : post;
}

function readExpectedSource(fields: Fields, field: string, value: QttJson): ExpectedSource {
  if (!isJsonObject(value)) fields.fail(field, 'must be a JSON object');
  if (typeof value.name !== 'string' || value.name === '')
    fields.fail(`${field}.name`, 'must be a non-empty string');
  const type = typeof value.type === 'string' ? value.type.toLowerCase() : undefined;
  if (type !== 'stream' && type !== 'table') fields.fail(`${field}.type`, 'must be "stream" or "table"');
  if (value.isSource !== undefined && typeof value.isSource !== 'boolean') {
    fields.fail(`${field}.isSource`, 'must be true or false');
  }
  return dropUndefined({
    name: value.name,
    type,
    schema: optionalText(fields, `${field}.schema`, value.schema),
    keyFormat: readExpectedKeyFormat(fields, `${field}.keyFormat`, value.keyFormat),
    valueFormat: optionalText(fields, `${field}.valueFormat`, value.valueFormat),
    keyFeatures: optionalStrings(fields, `${field}.keyFeatures`, value.keyFeatures),
    valueFeatures: optionalStrings(fields, `${field}.valueFeatures`, value.valueFeatures),
    isSource: value.isSource as boolean | undefined,
  });
}

function readExpectedKeyFormat(
  fields: Fields,
  field: string,
  value: QttJson | undefined,
): ExpectedKeyFormat | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) fields.fail(field, 'must be {"format", "windowType", "windowSize"}');
  return dropUndefined({
    format: optionalText(fields, `${field}.format`, value.format),
    windowType: optionalText(fields, `${field}.windowType`, value.windowType),
    windowSize: optionalInteger(fields, `${field}.windowSize`, value.windowSize) ?? null,
    features: optionalStrings(fields, `${field}.features`, value.features),
    properties: isJsonObject(value.properties) ? value.properties : undefined,
  });
}

function readExpectedTopics(fields: Fields, value: QttJson | undefined): ExpectedTopics | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) fields.fail('post.topics', 'must be {"blacklist"?, "topics"?}');
  const blacklist = optionalText(fields, 'post.topics.blacklist', value.blacklist);
  if (blacklist !== undefined) {
    try {
      new RegExp(blacklist);
    } catch {
      fields.fail('post.topics.blacklist', 'must be a regular expression');
    }
  }
  const topics = value.topics ?? [];
  if (!Array.isArray(topics)) fields.fail('post.topics.topics', 'must be an array');
  return dropUndefined({
    blacklist,
    topics: topics.map((topic: QttJson, i: number) =>
      readExpectedTopic(fields, `post.topics.topics[${i}]`, topic),
    ),
  });
}

function readExpectedTopic(fields: Fields, field: string, value: QttJson): ExpectedTopic {
  if (!isJsonObject(value)) fields.fail(field, 'must be a JSON object');
  if (typeof value.name !== 'string' || value.name === '')
    fields.fail(`${field}.name`, 'must be a non-empty string');
  return dropUndefined({
    name: value.name,
    keyFormat: readFormatInfo(fields, `${field}.keyFormat`, value.keyFormat),
    valueFormat: readFormatInfo(fields, `${field}.valueFormat`, value.valueFormat),
    partitions: optionalInteger(fields, `${field}.partitions`, value.partitions),
    keySchemaId: optionalInteger(fields, `${field}.keySchemaId`, value.keySchemaId),
    valueSchemaId: optionalInteger(fields, `${field}.valueSchemaId`, value.valueSchemaId),
    keySchema: value.keySchema ?? undefined,
    valueSchema: value.valueSchema ?? undefined,
  });
}

function readFormatInfo(fields: Fields, field: string, value: QttJson | undefined): ExpectedFormatInfo {
  if (!isJsonObject(value) || typeof value.format !== 'string') {
    fields.fail(field, 'must be {"format": string, "properties"?, "features"?, "windowInfo"?}');
  }
  const properties: Record<string, string> = {};
  const rawProperties = value.properties ?? {};
  if (!isJsonObject(rawProperties)) fields.fail(`${field}.properties`, 'must be a JSON object');
  for (const [name, property] of Object.entries(rawProperties)) {
    properties[name] = checkString(fields, `${field}.properties.${name}`, property);
  }
  const windowInfo = value.windowInfo;
  let window: ExpectedFormatInfo['windowInfo'];
  if (windowInfo !== undefined && windowInfo !== null) {
    if (!isJsonObject(windowInfo) || typeof windowInfo.type !== 'string') {
      fields.fail(`${field}.windowInfo`, 'must be {"type": string, "size"?: ms}');
    }
    window = {
      type: windowInfo.type,
      size: optionalInteger(fields, `${field}.windowInfo.size`, windowInfo.size) ?? null,
    };
  }
  return dropUndefined({
    format: value.format,
    properties,
    features: optionalStrings(fields, `${field}.features`, value.features) ?? [],
    windowInfo: window,
  });
}

function readResponse(fields: Fields, field: string, value: QttJson): ExpectedResponse {
  if (!isJsonObject(value) || Object.keys(value).length !== 1) {
    fields.fail(field, 'must be an object with exactly one of "admin", "query", "queryProto"');
  }
  if (value.admin !== undefined) {
    if (!isJsonObject(value.admin)) fields.fail(`${field}.admin`, 'must be a JSON object');
    return { kind: 'admin', admin: value.admin };
  }
  for (const kind of ['query', 'queryProto'] as const) {
    const rows = value[kind];
    if (rows === undefined) continue;
    if (!Array.isArray(rows) || rows.some((row) => !isJsonObject(row))) {
      fields.fail(`${field}.${kind}`, 'must be an array of row objects');
    }
    return { kind, rows: rows as readonly QttJsonObject[] };
  }
  fields.fail(field, 'must be an object with exactly one of "admin", "query", "queryProto"');
}

function readExpectedError(fields: Fields): ExpectedRestError | undefined {
  const value = fields.object_('expectedError');
  if (!value) return undefined;
  const status = value.status;
  if (status !== undefined && !(status instanceof JsonNumber && status.isInteger)) {
    fields.fail('expectedError.status', 'must be an HTTP status code');
  }
  const expected = dropUndefined({
    type: optionalText(fields, 'expectedError.type', value.type),
    message: optionalText(fields, 'expectedError.message', value.message),
    status: status instanceof JsonNumber ? status.toNumber() : undefined,
  });
  if (Object.keys(expected).length === 0) fields.fail('expectedError', 'needs "type", "message" or "status"');
  return expected;
}

function readFlags(fields: Fields, field: string, flag: string): Record<string, boolean> | undefined {
  const value = fields.object_(field);
  if (!value) return undefined;
  const flagValue = value[flag] ?? false;
  if (typeof flagValue !== 'boolean') fields.fail(`${field}.${flag}`, 'must be true or false');
  return { [flag]: flagValue };
}

/** Optional fields are left out rather than set to undefined, so models compare and print cleanly. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
