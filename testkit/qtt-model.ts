/**
 * The typed model of ksqlDB's functional test files: QTT (query-validation tests, run
 * against the engine directly) and RQTT (REST query-validation tests, run against the REST
 * server). Loaded and validated by `qtt-loader.ts`; expanded into runnable cases by
 * `expand.ts`. Values from the files stay `QttJson`, so numbers keep their exact literal.
 *
 * Free-text keys (`comment`, `notes`, `issues`, ...) and keys upstream ignores (`versions`,
 * unknown record fields) are dropped by the loader.
 */
import type { JsonNumber, QttJson, QttJsonObject } from './json-values.js';

export type Suite = 'qtt' | 'rqtt';

export interface QttFile {
  suite: Suite;
  /** The path the file was read from, as given to the loader. */
  path: string;
  /** The base name without `.json`: the first part of every expanded case name. */
  fileName: string;
  tests: readonly QttTestDefinition[];
}

export type QttTestDefinition = QueryTest | RestTest;

/** Fields both suites share. */
export interface TestDefinitionBase {
  /** Position in the file's `tests` array, for messages (names are not unique in a file). */
  index: number;
  name: string;
  /** Each ends in `;`; joined with newlines and run as one script. May contain `{FORMAT}`. */
  statements: readonly string[];
  inputs: readonly TestRecord[];
  outputs: readonly TestRecord[];
  topics: readonly TopicDefinition[];
  /** Values for `{FORMAT}`; each one is a separate case. Empty: no format expansion. */
  formats: readonly string[];
  properties: Readonly<Record<string, PropertyValue>>;
  /** `enabled: false` in the file: the test expands to no case. */
  enabled: boolean;
}

/** `properties` values are JSON scalars; the loader rejects arrays and objects. */
export type PropertyValue = string | boolean | JsonNumber | null;

export interface QueryTest extends TestDefinitionBase {
  suite: 'qtt';
  /** Values for the one property whose value is `{CONFIG}`; each one is a separate case. */
  configs: readonly string[];
  /** The property whose value is `{CONFIG}`; set exactly when `configs` is not empty. */
  configProperty?: string;
  expectedException?: ExpectedException;
  post?: PostConditions;
}

export interface RestTest extends TestDefinitionBase {
  suite: 'rqtt';
  responses: readonly ExpectedResponse[];
  expectedError?: ExpectedRestError;
  inputConditions?: { waitForActivePushQuery: boolean };
  outputConditions?: { verifyOrder: boolean };
  /** Also run each query over the protobuf `/query-stream` and check the `queryProto` responses. */
  testPullWithProtoFormat: boolean;
}

/** A record to produce (`inputs`) or to expect (`outputs`). */
export interface TestRecord {
  topic: string;
  /** `undefined`: the key was absent (for outputs: the key must be null). */
  key: QttJson | undefined;
  /** `null` is a tombstone. */
  value: QttJson;
  /** Epoch ms. `undefined`: absent (inputs use 0; outputs accept any timestamp). */
  timestamp: number | undefined;
  window: WindowBounds | undefined;
  /** `undefined`: absent (for outputs: the record must have no headers). */
  headers: readonly TestHeader[] | undefined;
}

export interface WindowBounds {
  start: number;
  end: number;
  /** `time` for tumbling and hopping windows, `session` for session windows. */
  type: 'time' | 'session';
}

export interface TestHeader {
  key: string;
  /** Base64 of the header bytes, or null for a null header value. */
  value: string | null;
}

/** A `topics` entry: a topic to create before the statements run, with schemas to register. */
export interface TopicDefinition {
  name: string;
  /** The schema language of `keySchema` (AVRO, PROTOBUF, JSON, JSON_SR). */
  keyFormat?: string;
  valueFormat?: string;
  keySchema?: QttJson;
  valueSchema?: QttJson;
  keySchemaId?: number;
  valueSchemaId?: number;
  keySchemaReferences?: readonly SchemaReference[];
  valueSchemaReferences?: readonly SchemaReference[];
  /** Default 1 (topics created from DDL or records default to 4; that is the executor's part). */
  partitions: number;
  replicas: number;
  keySerdeFeatures?: readonly string[];
  valueSerdeFeatures?: readonly string[];
}

export interface SchemaReference {
  name: string;
  format?: string;
  schema: QttJson;
}

/**
 * A negative QTT test. `type` is a Java class name (see `exception-check.ts` for how it maps
 * onto Sluice's error kinds); `message` must be a substring of the error's message.
 */
export interface ExpectedException {
  type?: string;
  message?: string;
  /** The same checks, applied to the error's direct cause. */
  cause?: string;
  causeMessage?: string;
}

export interface PostConditions {
  /** Each must match some source in the catalog after the run; extra sources are fine. */
  sources: readonly ExpectedSource[];
  topics?: ExpectedTopics;
}

export interface ExpectedSource {
  name: string;
  type: 'stream' | 'table';
  /** ksqlDB's logical-schema text, e.g. "ID INT KEY, V1 INT"; compared structurally. */
  schema?: string;
  keyFormat?: ExpectedKeyFormat;
  valueFormat?: string;
  keyFeatures?: readonly string[];
  valueFeatures?: readonly string[];
  isSource?: boolean;
}

/**
 * When given, the window is always compared: no `windowType` means "not windowed". `features`
 * and `properties` appear in a few files; upstream does not compare them for sources, and
 * neither do we (they are kept for reference).
 */
export interface ExpectedKeyFormat {
  format?: string;
  windowType?: string;
  /** Window size in ms; null or absent for session windows and unwindowed keys. */
  windowSize?: number | null;
  features?: readonly string[];
  properties?: QttJsonObject;
}

export interface ExpectedTopics {
  /** A regular expression that must not find a match in the name of any topic the run touched. */
  blacklist?: string;
  topics: readonly ExpectedTopic[];
}

export interface ExpectedTopic {
  name: string;
  keyFormat: ExpectedFormatInfo;
  valueFormat: ExpectedFormatInfo;
  partitions?: number;
  /** Compared even when absent: absent means the topic must have no explicit schema id. */
  keySchemaId?: number;
  valueSchemaId?: number;
  keySchema?: QttJson;
  valueSchema?: QttJson;
}

export interface ExpectedFormatInfo {
  format: string;
  properties: Readonly<Record<string, string>>;
  features: readonly string[];
  windowInfo?: { type: string; size?: number | null };
}

/** One item of an RQTT `responses` list: exactly one of the three kinds. */
export type ExpectedResponse =
  | { kind: 'admin'; admin: QttJsonObject }
  | { kind: 'query'; rows: readonly QttJsonObject[] }
  | { kind: 'queryProto'; rows: readonly QttJsonObject[] };

export interface ExpectedRestError {
  /** The REST error entity class, e.g. `io.confluent.ksql.rest.entity.KsqlStatementErrorMessage`. */
  type?: string;
  message?: string;
  status?: number;
}
