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

export type JsonNode = null | boolean | string | LosslessNumber | readonly JsonNode[] | JsonObject;
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

const INTEGRAL = /^-?\d+$/;

/** Jackson's node class name for a node, which ksqlDB puts in its conversion errors. */
function jacksonNodeName(node: JsonNode): string {
  if (node === null) return 'NullNode';
  if (typeof node === 'boolean') return 'BooleanNode';
  if (typeof node === 'string') return 'TextNode';
  if (Array.isArray(node)) return 'ArrayNode';
  if (isLosslessNumber(node)) {
    if (!INTEGRAL.test(node.value)) return 'DecimalNode';
    const n = BigInt(node.value);
    if (n >= BigInt(INT32_MIN) && n <= BigInt(INT32_MAX)) return 'IntNode';
    return n >= INT64_MIN && n <= INT64_MAX ? 'LongNode' : 'BigIntegerNode';
  }
  return 'ObjectNode';
}

function cannotConvert(node: JsonNode, type: SqlType, path: string): ValueError {
  return new ValueError(
    `Can't convert type. sourceType: ${jacksonNodeName(node)}, requiredType: ${formatType(type)}, path: ${path}`,
  );
}

function cannotCoerceString(type: SqlType, path: string): ValueError {
  return new ValueError(`Can't coerce string to type. targetType: ${formatType(type)}, path: ${path}`);
}

/** The integral part of a JSON number (Java's intValue/longValue drop the fraction). */
function integralPart(node: LosslessNumber): bigint {
  if (INTEGRAL.test(node.value)) return BigInt(node.value);
  const d = new Decimal(node.value);
  if (!d.isFinite()) throw new ValueError(`Not a finite number: ${node.value}`);
  return BigInt(d.trunc().toFixed(0));
}

function toInteger(node: JsonNode, type: SqlType, path: string, min: bigint, max: bigint): bigint {
  let n: bigint;
  if (isLosslessNumber(node)) n = integralPart(node);
  else if (typeof node === 'string') {
    const text = node.trim();
    if (!/^[+-]?\d+$/.test(text)) throw cannotCoerceString(type, path);
    n = BigInt(text);
  } else throw cannotConvert(node, type, path);
  if (n < min || n > max) {
    throw new ValueError(`Value ${n} out of range for ${formatType(type)}, path: ${path}`);
  }
  return n;
}

function toDouble(node: JsonNode, type: SqlType, path: string): number {
  if (isLosslessNumber(node)) return Number(node.value);
  if (typeof node === 'string') {
    const text = node.trim();
    const n = text === 'NaN' ? Number.NaN : Number(text);
    if (text === '' || (Number.isNaN(n) && text !== 'NaN')) throw cannotCoerceString(type, path);
    return n;
  }
  throw cannotConvert(node, type, path);
}

function toDecimal(node: JsonNode, type: Extract<SqlType, { kind: 'DECIMAL' }>, path: string): Decimal {
  let value: Decimal;
  if (isLosslessNumber(node)) value = new Decimal(node.value);
  else if (typeof node === 'string') {
    try {
      value = new Decimal(node.trim());
    } catch {
      throw cannotCoerceString(type, path);
    }
    if (!value.isFinite()) throw cannotCoerceString(type, path);
  } else throw cannotConvert(node, type, path);
  try {
    return fitDecimalExact(value, type);
  } catch (e) {
    throw new ValueError(`${(e as Error).message}, path: ${path}`);
  }
}

function toText(node: JsonNode): string {
  if (typeof node === 'string') return node;
  if (isLosslessNumber(node)) return node.value;
  if (typeof node === 'boolean') return String(node);
  return stringifyJson(node);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function toBytes(node: JsonNode, type: SqlType, path: string): Uint8Array {
  if (typeof node !== 'string') throw cannotConvert(node, type, path);
  if (node.length % 4 !== 0 || !BASE64.test(node)) {
    throw new ValueError(`Invalid base64 for ${formatType(type)}, path: ${path}`);
  }
  return Buffer.from(node, 'base64');
}

/** Finds a struct field's node: exact name first, then ignoring case (ksqlDB's JSON rule). */
function structFieldNode(object: JsonObject, name: string, upperKeys: Map<string, string>): JsonNode {
  if (Object.hasOwn(object, name)) return object[name] ?? null;
  const key = upperKeys.get(name.toUpperCase());
  return key === undefined ? null : (object[key] ?? null);
}

function toStruct(node: JsonNode, type: StructType, path: string): SqlStruct {
  if (!isJsonObject(node)) throw cannotConvert(node, type, path);
  const upperKeys = new Map<string, string>();
  for (const key of Object.keys(node)) {
    const upper = key.toUpperCase();
    if (!upperKeys.has(upper)) upperKeys.set(upper, key);
  }
  const struct: Record<string, SqlValue> = Object.create(null);
  for (const field of type.fields) {
    struct[field.name] = jsonToValue(
      field.type,
      structFieldNode(node, field.name, upperKeys),
      `${path}.${field.name}`,
    );
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
      throw typeof node === 'string' ? cannotCoerceString(type, path) : cannotConvert(node, type, path);
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
      if (!Array.isArray(node)) throw cannotConvert(node, type, path);
      return (node as readonly JsonNode[]).map((element, i) =>
        jsonToValue(type.element, element, `${path}[${i}]`),
      );
    }
    case 'MAP': {
      if (!isJsonObject(node)) throw cannotConvert(node, type, path);
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
      if (!isDecimal(value)) throw new ValueError(`Expected a Decimal for ${formatType(type)}`);
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
