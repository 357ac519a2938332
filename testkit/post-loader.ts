/** Reading the judging parts of a QTT test: `expectedException` and `post`. */
import { isJsonObject, type QttJson } from './json-values.js';
import type {
  ExpectedException,
  ExpectedFormatInfo,
  ExpectedKeyFormat,
  ExpectedSource,
  ExpectedTopic,
  ExpectedTopics,
  PostConditions,
} from './qtt-model.js';
import {
  checkString,
  dropUndefined,
  type Fields,
  optionalInteger,
  optionalStrings,
  optionalText,
} from './test-fields.js';

export function readExpectedException(fields: Fields): ExpectedException | undefined {
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

export function readPost(fields: Fields): PostConditions | undefined {
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
