/**
 * Conversions between runtime values and JSON trees whose numbers are kept exact
 * (`LosslessNumber` from lossless-json): the JSON format's payloads, the conformance files'
 * records and the REST API's rows all go through here.
 *
 * Reading follows ksqlDB's JSON deserializer, which coerces where the intent is clear: a
 * number or boolean into a STRING (its text), a numeric string into a number, a JSON object
 * into a STRUCT by case-insensitive field names. Anything else is a ValueError naming the
 * JSON node kind (Jackson's names, as ksqlDB reports them) and the path.
 */

import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { catalogMessages } from './messages.js';
import type { SqlType, StructType } from './types.js';
import { formatType } from './types.js';
import { formatDate, formatTime, formatTimestamp, javaDoubleToString } from './value-text.js';
import {
  Decimal,
  decimalToString,
  fitDecimalExact,
  INT32_MAX,
  INT32_MIN,
  INT64_MAX,
  INT64_MIN,
  isDecimal,
  MILLIS_PER_DAY,
  type SqlStruct,
  type SqlValue,
  ValueError,
} from './values.js';

/**
 * A parsed JSON tree. Numbers are `LosslessNumber`s (exact text) when parsed by `parseJson`,
 * or plain `number`s when parsed by `JSON.parse` on a fast path; see `InexactJsonNumberError`.
 */
export type JsonNode = null | boolean | string | number | LosslessNumber | readonly JsonNode[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonNode;
}

/** Parses JSON text keeping every number exact; a repeated key keeps its last value, as Jackson. */
export function parseJson(text: string): JsonNode {
  return parse(text, null, { onDuplicateKey: ({ newValue }) => newValue }) as JsonNode;
}

/** Compact JSON text of a tree; numbers are written exactly as their LosslessNumber text. */
export function stringifyJson(node: JsonNode): string {
  return stringify(node) ?? 'null';
}

export function jsonNumber(text: string): LosslessNumber {
  return new LosslessNumber(text);
}

function isJsonObject(node: JsonNode): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !isLosslessNumber(node);
}

/**
 * A plain JS number cannot give what the target type needs exactly (a BIGINT past 2^53, the
 * text of a number read into a STRING). The caller parses the text again with `parseJson`.
 */
export class InexactJsonNumberError extends Error {
  override readonly name = 'InexactJsonNumberError';
}

const INEXACT = new InexactJsonNumberError('a plain number lost precision; parse losslessly');

const INTEGRAL = /^-?\d+$/;

/** Jackson's node class name for a node, which ksqlDB puts in its conversion errors. */
function jacksonNodeName(node: JsonNode): string {
  if (node === null) return 'NullNode';
  if (typeof node === 'boolean') return 'BooleanNode';
  if (typeof node === 'string') return 'TextNode';
  if (typeof node === 'number') {
    if (!Number.isInteger(node)) return 'DoubleNode';
    return node >= INT32_MIN && node <= INT32_MAX ? 'IntNode' : 'LongNode';
  }
  if (Array.isArray(node)) return 'ArrayNode';
  if (isLosslessNumber(node)) {
    if (!INTEGRAL.test(node.value)) return 'DecimalNode';
    const n = BigInt(node.value);
    if (n >= BigInt(INT32_MIN) && n <= BigInt(INT32_MAX)) return 'IntNode';
    return n >= INT64_MIN && n <= INT64_MAX ? 'LongNode' : 'BigIntegerNode';
  }
  return 'ObjectNode';
}

/** ksqlDB's error for a JSON node that cannot become a value of `type`. */
export function jsonConversionError(node: JsonNode, type: SqlType, path: string): ValueError {
  return new ValueError(catalogMessages.jsonCannotConvert(jacksonNodeName(node), formatType(type), path));
}

function cannotCoerceString(type: SqlType, path: string): ValueError {
  return new ValueError(catalogMessages.jsonCannotCoerceString(formatType(type), path));
}

/** The integral part of a JSON number (Java's intValue/longValue drop the fraction). */
function integralPart(node: LosslessNumber): bigint {
  if (INTEGRAL.test(node.value)) return BigInt(node.value);
  const d = new Decimal(node.value);
  if (!d.isFinite()) throw new ValueError(catalogMessages.notFinite(node.value));
  return BigInt(d.trunc().toFixed(0));
}

function toInteger(node: JsonNode, type: SqlType, path: string, min: bigint, max: bigint): bigint {
  let n: bigint;
  if (typeof node === 'number') {
    const whole = Math.trunc(node);
    if (!Number.isSafeInteger(whole)) throw INEXACT;
    n = BigInt(whole);
  } else if (isLosslessNumber(node)) n = integralPart(node);
  else if (typeof node === 'string') {
    const text = node.trim();
    if (!/^[+-]?\d+$/.test(text)) throw cannotCoerceString(type, path);
    n = BigInt(text);
  } else throw jsonConversionError(node, type, path);
  if (n < min || n > max) {
    throw new ValueError(catalogMessages.outOfRange(String(n), formatType(type), path));
  }
  return n;
}

function toDouble(node: JsonNode, type: SqlType, path: string): number {
  if (typeof node === 'number') return node;
  if (isLosslessNumber(node)) return Number(node.value);
  if (typeof node === 'string') {
    const text = node.trim();
    const n = text === 'NaN' ? Number.NaN : Number(text);
    if (text === '' || (Number.isNaN(n) && text !== 'NaN')) throw cannotCoerceString(type, path);
    return n;
  }
  throw jsonConversionError(node, type, path);
}

function toDecimal(node: JsonNode, type: Extract<SqlType, { kind: 'DECIMAL' }>, path: string): Decimal {
  let value: Decimal;
  // A plain number's shortest text is the JSON text's value when that had at most 15
  // significant digits, which the JSON format checks before taking the fast path.
  if (typeof node === 'number') value = new Decimal(String(node));
  else if (isLosslessNumber(node)) value = new Decimal(node.value);
  else if (typeof node === 'string') {
    try {
      value = new Decimal(node.trim());
    } catch {
      throw cannotCoerceString(type, path);
    }
    if (!value.isFinite()) throw cannotCoerceString(type, path);
  } else throw jsonConversionError(node, type, path);
  try {
    return fitDecimalExact(value, type);
  } catch (e) {
    throw new ValueError(catalogMessages.atPath((e as Error).message, path));
  }
}

function toText(node: JsonNode): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number') throw INEXACT;
  if (isLosslessNumber(node)) return node.value;
  if (typeof node === 'boolean') return String(node);
  if (containsPlainNumber(node)) throw INEXACT;
  return stringifyJson(node);
}

function containsPlainNumber(node: JsonNode): boolean {
  if (typeof node === 'number') return true;
  if (Array.isArray(node)) return (node as readonly JsonNode[]).some(containsPlainNumber);
  if (isJsonObject(node)) return Object.values(node).some(containsPlainNumber);
  return false;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function toBytes(node: JsonNode, type: SqlType, path: string): Uint8Array {
  if (typeof node !== 'string') throw jsonConversionError(node, type, path);
  if (node.length % 4 !== 0 || !BASE64.test(node)) {
    throw new ValueError(catalogMessages.invalidBase64(formatType(type), path));
  }
  return Buffer.from(node, 'base64');
}

/**
 * Reads the fields of a JSON object the way ksqlDB matches them to columns and STRUCT fields:
 * the exact name first, else the name ignoring case (`{"v": 1}` feeds column `V`).
 */
export function jsonFieldReader(object: JsonObject): (name: string) => JsonNode {
  let byUpperName: Map<string, string> | undefined;
  return (name) => {
    if (Object.hasOwn(object, name)) return object[name] ?? null;
    if (byUpperName === undefined) {
      byUpperName = new Map();
      for (const key of Object.keys(object)) {
        const upper = key.toUpperCase();
        if (!byUpperName.has(upper)) byUpperName.set(upper, key);
      }
    }
    const key = byUpperName.get(name.toUpperCase());
    return key === undefined ? null : (object[key] ?? null);
  };
}

export function asJsonObject(node: JsonNode): JsonObject | undefined {
  return isJsonObject(node) ? node : undefined;
}

function toStruct(node: JsonNode, type: StructType, path: string): SqlStruct {
  if (!isJsonObject(node)) throw jsonConversionError(node, type, path);
  const field = jsonFieldReader(node);
  const struct: Record<string, SqlValue> = Object.create(null);
  for (const f of type.fields) {
    struct[f.name] = jsonToValue(f.type, field(f.name), `${path}.${f.name}`);
  }
  return struct;
}

/** The runtime value of `type` for a JSON node, with ksqlDB's JSON coercions. */
export function jsonToValue(type: SqlType, node: JsonNode, path = '$'): SqlValue {
  if (node === null) return null;
  switch (type.kind) {
    case 'BOOLEAN':
      if (typeof node === 'boolean') return node;
      if (typeof node === 'string' && /^(true|false)$/i.test(node.trim()))
        return node.trim().toLowerCase() === 'true';
      throw typeof node === 'string' ? cannotCoerceString(type, path) : jsonConversionError(node, type, path);
    case 'INTEGER':
      return Number(toInteger(node, type, path, BigInt(INT32_MIN), BigInt(INT32_MAX)));
    case 'BIGINT':
      return toInteger(node, type, path, INT64_MIN, INT64_MAX);
    case 'DOUBLE':
      return toDouble(node, type, path);
    case 'DECIMAL':
      return toDecimal(node, type, path);
    case 'STRING':
      return toText(node);
    case 'BYTES':
      return toBytes(node, type, path);
    case 'DATE':
      return Number(toInteger(node, type, path, BigInt(INT32_MIN), BigInt(INT32_MAX)));
    case 'TIME': {
      const millis = Number(toInteger(node, type, path, 0n, BigInt(MILLIS_PER_DAY - 1)));
      return millis;
    }
    case 'TIMESTAMP':
      return Number(
        toInteger(node, type, path, BigInt(Number.MIN_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER)),
      );
    case 'ARRAY': {
      if (!Array.isArray(node)) throw jsonConversionError(node, type, path);
      return (node as readonly JsonNode[]).map((element, i) =>
        jsonToValue(type.element, element, `${path}[${i}]`),
      );
    }
    case 'MAP': {
      if (!isJsonObject(node)) throw jsonConversionError(node, type, path);
      const map = new Map<SqlValue, SqlValue>();
      for (const [key, value] of Object.entries(node)) {
        map.set(
          jsonToValue(type.key, key, `${path}.${key}`),
          jsonToValue(type.value, value, `${path}.${key}`),
        );
      }
      return map;
    }
    case 'STRUCT':
      return toStruct(node, type, path);
  }
}

/**
 * How time types are written: `wire` as numbers (the JSON format and the conformance files:
 * DATE days, TIME millis of day, TIMESTAMP epoch millis), `rest` as ksqlDB's REST API writes
 * them (`yyyy-MM-dd`, `HH:mm:ss`, `yyyy-MM-ddTHH:mm:ss.SSS`).
 */
export type JsonStyle = 'wire' | 'rest';

function mapKeyText(type: SqlType, key: SqlValue): string {
  const node = valueToJson(type, key);
  if (node === null) return 'null';
  return typeof node === 'string' ? node : stringifyJson(node);
}

/**
 * The JSON node of a value: DECIMAL at its type's scale (`10.0000`), DOUBLE as Java prints it
 * (`1.0`, `1.0E10`; NaN and infinities as strings, as Jackson quotes them), BYTES as base64.
 */
export function valueToJson(type: SqlType, value: SqlValue, style: JsonStyle = 'wire'): JsonNode {
  if (value === null) return null;
  switch (type.kind) {
    case 'BOOLEAN':
    case 'STRING':
      return value as boolean | string;
    case 'INTEGER':
    case 'BIGINT':
      return jsonNumber(String(value));
    case 'DOUBLE': {
      const d = value as number;
      return Number.isFinite(d) ? jsonNumber(javaDoubleToString(d)) : javaDoubleToString(d);
    }
    case 'DECIMAL':
      if (!isDecimal(value)) throw new ValueError(catalogMessages.notADecimal(formatType(type)));
      return jsonNumber(decimalToString(value, type));
    case 'BYTES':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'DATE':
      return style === 'rest' ? formatDate(value as number) : jsonNumber(String(value));
    case 'TIME':
      return style === 'rest' ? formatTime(value as number) : jsonNumber(String(value));
    case 'TIMESTAMP':
      return style === 'rest' ? formatTimestamp(value as number) : jsonNumber(String(value));
    case 'ARRAY':
      return (value as readonly SqlValue[]).map((v) => valueToJson(type.element, v, style));
    case 'MAP': {
      const object: Record<string, JsonNode> = Object.create(null);
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        object[mapKeyText(type.key, k)] = valueToJson(type.value, v, style);
      }
      return object;
    }
    case 'STRUCT': {
      const struct = value as SqlStruct;
      const object: Record<string, JsonNode> = Object.create(null);
      for (const field of type.fields)
        object[field.name] = valueToJson(field.type, struct[field.name] ?? null, style);
      return object;
    }
  }
}

/**
 * The compact JSON text of a value in the wire style of `valueToJson`, written directly (the
 * JSON format's hot path: no intermediate tree).
 */
export function valueToJsonText(type: SqlType, value: SqlValue): string {
  if (value === null) return 'null';
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return String(value);
    case 'STRING':
      return JSON.stringify(value);
    case 'DOUBLE': {
      const d = value as number;
      return Number.isFinite(d) ? javaDoubleToString(d) : `"${javaDoubleToString(d)}"`;
    }
    case 'DECIMAL':
      if (!isDecimal(value)) throw new ValueError(catalogMessages.notADecimal(formatType(type)));
      return decimalToString(value, type);
    case 'BYTES':
      return `"${Buffer.from((value as Uint8Array).buffer, (value as Uint8Array).byteOffset, (value as Uint8Array).byteLength).toString('base64')}"`;
    case 'ARRAY': {
      const items = value as readonly SqlValue[];
      let out = '[';
      for (let i = 0; i < items.length; i++) {
        if (i > 0) out += ',';
        out += valueToJsonText(type.element, items[i] ?? null);
      }
      return `${out}]`;
    }
    case 'MAP': {
      let out = '{';
      let first = true;
      for (const [k, v] of value as ReadonlyMap<SqlValue, SqlValue>) {
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(mapKeyText(type.key, k))}:${valueToJsonText(type.value, v)}`;
      }
      return `${out}}`;
    }
    case 'STRUCT': {
      const struct = value as SqlStruct;
      let out = '{';
      type.fields.forEach((field, i) => {
        if (i > 0) out += ',';
        out += `${JSON.stringify(field.name)}:${valueToJsonText(field.type, struct[field.name] ?? null)}`;
      });
      return `${out}}`;
    }
  }
}
