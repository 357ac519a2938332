import { JsonNumber } from './json-values.js';
import { canonicalSchema } from './logical-schema.js';
import type { ExpectedFormatInfo, ExpectedSource, ExpectedTopic, PostConditions } from './qtt-model.js';

/** A source (stream or table) of the catalog after a run, as post-conditions need it. */
export interface SourceView {
  /** As stored in the catalog: unquoted names upper-cased. */
  name: string;
  type: 'stream' | 'table';
  /** The logical schema in ksqlDB's text form, e.g. "`ID` INTEGER KEY, `V` STRING". */
  schema: string;
  keyFormat: {
    format: string;
    /** TUMBLING, HOPPING or SESSION; absent for an unwindowed key. */
    windowType?: string;
    /** Window size in ms; absent or null for session windows and unwindowed keys. */
    windowSize?: number | null;
  };
  valueFormat: string;
  keyFeatures: readonly string[];
  valueFeatures: readonly string[];
  /** Created with CREATE SOURCE STREAM/TABLE. */
  isSource: boolean;
}

/** A format with its properties, as a topic carries it. */
export interface FormatInfoView {
  format: string;
  properties: Readonly<Record<string, string>>;
  features: readonly string[];
  windowInfo?: { type: string; size?: number | null };
}

/** A topic the run touched, internal (repartition, changelog) topics included. */
export interface TopicView {
  name: string;
  partitions: number;
  keyFormat: FormatInfoView;
  valueFormat: FormatInfoView;
  /** Explicit schema ids (KEY_SCHEMA_ID / VALUE_SCHEMA_ID); absent when the topic has none. */
  keySchemaId?: number;
  valueSchemaId?: number;
  /** The registered schemas: JSON (AVRO, JSON Schema) or text (.proto). */
  keySchema?: unknown;
  valueSchema?: unknown;
}

/** What the engine exposes after a run so that `post` conditions can be checked. */
export interface PostConditionView {
  describeSources(): Promise<readonly SourceView[]>;
  topics(): Promise<readonly TopicView[]>;
}

/**
 * Checks a test's `post` block; returns one line per failed condition (empty: all hold).
 * Source checks test SQL semantics; topic checks (`blacklist`, internal topic names) test
 * physical-plan parity with ksqlDB, and are marked as such in the messages.
 */
export async function checkPostConditions(post: PostConditions, view: PostConditionView): Promise<string[]> {
  const problems: string[] = [];
  if (post.sources.length > 0) {
    const sources = await view.describeSources();
    for (const expected of post.sources) {
      const problem = sourceProblem(expected, sources);
      if (problem) problems.push(problem);
    }
  }
  if (post.topics && (post.topics.blacklist !== undefined || post.topics.topics.length > 0)) {
    const topics = await view.topics();
    if (post.topics.blacklist !== undefined) {
      const pattern = new RegExp(post.topics.blacklist);
      const banned = topics.filter((topic) => pattern.test(topic.name)).map((topic) => topic.name);
      if (banned.length > 0) {
        problems.push(
          `physical: topics matching /${post.topics.blacklist}/ must not exist: ${banned.join(', ')}`,
        );
      }
    }
    for (const expected of post.topics.topics) {
      const problem = topicProblem(expected, topics);
      if (problem) problems.push(`physical: ${problem}`);
    }
  }
  return problems;
}

function sourceProblem(expected: ExpectedSource, sources: readonly SourceView[]): string | undefined {
  const actual = sources.find((source) => source.name === expected.name);
  if (!actual) {
    return `source ${expected.name}: not in the catalog (sources: ${sources.map((s) => s.name).join(', ') || 'none'})`;
  }
  const differences: string[] = [];
  const differ = (what: string, want: unknown, got: unknown) =>
    differences.push(`${what}: expected ${String(want)}, actual ${String(got)}`);
  if (actual.type !== expected.type) differ('type', expected.type, actual.type);
  if (expected.schema !== undefined && canonicalSchema(expected.schema) !== canonicalSchema(actual.schema)) {
    differ('schema', JSON.stringify(expected.schema), JSON.stringify(actual.schema));
  }
  const keyFormat = expected.keyFormat;
  if (keyFormat) {
    if (keyFormat.format !== undefined && !sameName(keyFormat.format, actual.keyFormat.format)) {
      differ('key format', keyFormat.format, actual.keyFormat.format);
    }
    const wantWindow = windowText(keyFormat.windowType, keyFormat.windowSize);
    const gotWindow = windowText(actual.keyFormat.windowType, actual.keyFormat.windowSize);
    if (wantWindow !== gotWindow) differ('key window', wantWindow, gotWindow);
  }
  if (expected.valueFormat !== undefined && !sameName(expected.valueFormat, actual.valueFormat)) {
    differ('value format', expected.valueFormat, actual.valueFormat);
  }
  if (expected.keyFeatures && !sameSet(expected.keyFeatures, actual.keyFeatures)) {
    differ('key features', `[${expected.keyFeatures}]`, `[${actual.keyFeatures}]`);
  }
  if (expected.valueFeatures && !sameSet(expected.valueFeatures, actual.valueFeatures)) {
    differ('value features', `[${expected.valueFeatures}]`, `[${actual.valueFeatures}]`);
  }
  if (expected.isSource !== undefined && expected.isSource !== actual.isSource) {
    differ('isSource', expected.isSource, actual.isSource);
  }
  return differences.length === 0 ? undefined : `source ${expected.name}: ${differences.join('; ')}`;
}

function windowText(type: string | undefined, size: number | null | undefined): string {
  if (type === undefined) return 'not windowed';
  return size === undefined || size === null ? type.toUpperCase() : `${type.toUpperCase()} ${size} ms`;
}

function topicProblem(expected: ExpectedTopic, topics: readonly TopicView[]): string | undefined {
  const actual = topics.find((topic) => topic.name === expected.name);
  if (!actual) return `topic ${expected.name}: does not exist`;
  const differences: string[] = [];
  for (const side of ['key', 'value'] as const) {
    const want = side === 'key' ? expected.keyFormat : expected.valueFormat;
    const got = side === 'key' ? actual.keyFormat : actual.valueFormat;
    const difference = formatInfoDifference(want, got);
    if (difference) differences.push(`${side} format ${difference}`);
    const wantId = side === 'key' ? expected.keySchemaId : expected.valueSchemaId;
    const gotId = side === 'key' ? actual.keySchemaId : actual.valueSchemaId;
    if (wantId !== gotId)
      differences.push(`${side} schema id: expected ${wantId ?? 'none'}, actual ${gotId ?? 'none'}`);
    const wantSchema = side === 'key' ? expected.keySchema : expected.valueSchema;
    const gotSchema = side === 'key' ? actual.keySchema : actual.valueSchema;
    if (
      wantSchema !== undefined &&
      canonicalSchemaDocument(wantSchema) !== canonicalSchemaDocument(gotSchema)
    ) {
      differences.push(`${side} schema differs from the registered one`);
    }
  }
  if (expected.partitions !== undefined && expected.partitions !== actual.partitions) {
    differences.push(`partitions: expected ${expected.partitions}, actual ${actual.partitions}`);
  }
  return differences.length === 0 ? undefined : `topic ${expected.name}: ${differences.join('; ')}`;
}

function formatInfoDifference(expected: ExpectedFormatInfo, actual: FormatInfoView): string | undefined {
  const text = (info: ExpectedFormatInfo | FormatInfoView) =>
    JSON.stringify({
      format: info.format.toUpperCase(),
      properties: Object.fromEntries(Object.entries(info.properties).sort(([a], [b]) => a.localeCompare(b))),
      features: [...info.features].sort(),
      windowInfo: info.windowInfo
        ? { type: info.windowInfo.type.toUpperCase(), size: info.windowInfo.size ?? null }
        : null,
    });
  const want = text(expected);
  const got = text(actual);
  return want === got ? undefined : `expected ${want}, actual ${got}`;
}

/** A schema document (JSON, or .proto text) with key order and whitespace made irrelevant. */
function canonicalSchemaDocument(schema: unknown): string {
  if (typeof schema === 'string') return schema.replace(/\s+/g, ' ').trim();
  return JSON.stringify(sortedJson(schema));
}

function sortedJson(value: unknown): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(sortedJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, field]) => [name, sortedJson(field)]),
    );
  }
  return value;
}

function sameName(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((item) => item.toUpperCase()));
  const right = new Set(b.map((item) => item.toUpperCase()));
  return left.size === right.size && [...left].every((item) => right.has(item));
}
