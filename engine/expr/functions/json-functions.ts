/**
 * ksqlDB's JSON functions over JSON text. Numbers stay exact (lossless-json), so
 * `EXTRACTJSONFIELD('{"a": 1.23450}', '$.a')` is `1.23450`, as Jackson keeps it; output is
 * compact, as Jackson writes it. Text that is not JSON gives null, never an error.
 */
import { isLosslessNumber } from 'lossless-json';
import type { SqlType } from '../../catalog/types.js';
import {
  type JsonNode,
  type JsonObject,
  parseJson,
  stringifyJson,
  valueToJson,
} from '../../catalog/value-json.js';
import type { SqlValue } from '../../catalog/values.js';
import { type FunctionDefinition, scalar, sig, sigFor, strict } from './function-definition.js';

const JSON_CATEGORY = 'JSON';

/**
 * The end of the object or array that opens `text` (just past its closing bracket), or
 * undefined when it does not open with one or never closes.
 */
function firstValueEnd(text: string): number | undefined {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== '{' && text[start] !== '[')) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/**
 * Parses JSON text as Jackson's readTree does for ksqlDB: text after the first complete
 * object or array is ignored; blank text is no JSON at all.
 */
function tryParse(text: string): { ok: true; node: JsonNode } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, node: parseJson(text) };
  } catch {
    const end = firstValueEnd(text);
    if (end === undefined || end === text.length) return { ok: false };
    try {
      return { ok: true, node: parseJson(text.slice(0, end)) };
    } catch {
      return { ok: false };
    }
  }
}

function isObject(node: JsonNode): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !isLosslessNumber(node);
}

/** A JSON node as ksqlDB returns it from EXTRACTJSONFIELD: strings unquoted, the rest as JSON. */
function nodeText(node: JsonNode): string | null {
  if (node === null) return null;
  return typeof node === 'string' ? node : stringifyJson(node);
}

type PathStep = { readonly field: string } | { readonly index: number };

/** Parses the JsonPath subset ksqlDB supports: `$.a.b`, `$['a']`, `$.a[0]`. */
function parsePath(path: string): PathStep[] | undefined {
  const text = path.trim();
  if (!text.startsWith('$')) return undefined;
  const steps: PathStep[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const match = /^[^.[\]]+/.exec(text.slice(i + 1));
      if (match === null) return undefined;
      steps.push({ field: match[0] });
      i += 1 + match[0].length;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close).trim();
      const quoted = /^(['"])(.*)\1$/.exec(inner);
      if (quoted !== null) steps.push({ field: quoted[2] ?? '' });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else return undefined;
      i = close + 1;
    } else {
      return undefined;
    }
  }
  return steps;
}

function extract(json: string, path: string): string | null {
  const steps = parsePath(path);
  if (steps === undefined) throw new Error(`Invalid JsonPath: ${path}`);
  const parsed = tryParse(json);
  if (!parsed.ok) return null;
  let node: JsonNode | undefined = parsed.node;
  for (const step of steps) {
    if (node === undefined || node === null) return null;
    if ('field' in step) node = isObject(node) ? node[step.field] : undefined;
    else
      node = Array.isArray(node) && step.index >= 0 ? (node as readonly JsonNode[])[step.index] : undefined;
  }
  return node === undefined ? null : nodeText(node);
}

/**
 * JSON_ARRAY_CONTAINS matches by JSON token kind, as ksqlDB does: an integral number only an
 * INT or BIGINT, a fractional one only a DOUBLE, a string a STRING, null only null.
 */
function sameJsonValue(node: JsonNode, value: SqlValue, type: SqlType | null): boolean {
  if (node === null || value === null) return node === null && value === null;
  if (typeof node === 'string' || typeof node === 'boolean') return node === value;
  if (!isLosslessNumber(node)) return false;
  const integral = /^-?\d+$/.test(node.value);
  if (integral) {
    return (
      (type?.kind === 'INTEGER' || type?.kind === 'BIGINT') &&
      BigInt(node.value) === BigInt(value as number | bigint)
    );
  }
  return type?.kind === 'DOUBLE' && Number(node.value) === value;
}

/** JSON_CONCAT: objects merge (later keys win); otherwise an array of every element. */
function concatJson(texts: readonly string[]): string | null {
  const nodes: JsonNode[] = [];
  for (const text of texts) {
    const parsed = tryParse(text);
    if (!parsed.ok) return null;
    nodes.push(parsed.node);
  }
  if (nodes.every(isObject)) {
    const merged: Record<string, JsonNode> = {};
    for (const node of nodes) Object.assign(merged, node);
    return stringifyJson(merged);
  }
  const items: JsonNode[] = [];
  for (const node of nodes) {
    if (Array.isArray(node)) items.push(...(node as readonly JsonNode[]));
    else items.push(node);
  }
  return stringifyJson(items);
}

function parsedArray(text: string): readonly JsonNode[] | null {
  const parsed = tryParse(text);
  return parsed.ok && Array.isArray(parsed.node) ? (parsed.node as readonly JsonNode[]) : null;
}

function parsedObject(text: string): JsonObject | null {
  const parsed = tryParse(text);
  return parsed.ok && isObject(parsed.node) ? parsed.node : null;
}

/** Struct fields and map keys in sorted order, as ksqlDB's TO_JSON_STRING writes them. */
function sortKeys(node: JsonNode): JsonNode {
  if (Array.isArray(node)) return (node as readonly JsonNode[]).map(sortKeys);
  if (!isObject(node)) return node;
  const sorted: Record<string, JsonNode> = {};
  for (const key of Object.keys(node).sort()) sorted[key] = sortKeys(node[key] ?? null);
  return sorted;
}

export const jsonFunctions: readonly FunctionDefinition[] = [
  scalar('EXTRACTJSONFIELD', JSON_CATEGORY, 'The value at a JsonPath in JSON text, as text.', [
    sig(
      'STRING input, STRING path',
      'STRING',
      strict(([j, p]) => extract(j as string, p as string)),
    ),
  ]),
  scalar('JSON_ARRAY_CONTAINS', JSON_CATEGORY, 'Whether a JSON array contains a primitive value.', [
    sigFor('STRING jsonArray, T val', 'BOOLEAN', (call) => {
      const type = call.argTypes[1] ?? null;
      return ([j, v]) => {
        if (j === null || j === undefined) return false;
        const array = parsedArray(j as string);
        return array?.some((node) => sameJsonValue(node, (v ?? null) as SqlValue, type)) ?? false;
      };
    }),
  ]),
  scalar('JSON_ARRAY_LENGTH', JSON_CATEGORY, 'The length of a JSON array, or null.', [
    sig(
      'STRING input',
      'INT',
      strict(([j]) => parsedArray(j as string)?.length ?? null),
    ),
  ]),
  scalar('JSON_CONCAT', JSON_CATEGORY, 'Merges JSON objects, or concatenates JSON arrays and values.', [
    sig('STRING... inputs', 'STRING', (args) =>
      args.some((a) => a === null) ? null : concatJson(args as string[]),
    ),
  ]),
  scalar('JSON_KEYS', JSON_CATEGORY, 'The keys of a JSON object.', [
    sig(
      'STRING input',
      'ARRAY<STRING>',
      strict(([j]) => {
        const object = parsedObject(j as string);
        return object === null ? null : Object.keys(object);
      }),
    ),
  ]),
  scalar('JSON_RECORDS', JSON_CATEGORY, 'The fields of a JSON object as a map of name to JSON text.', [
    sig(
      'STRING input',
      'MAP<STRING, STRING>',
      strict(([j]) => {
        const object = parsedObject(j as string);
        if (object === null) return null;
        return new Map<SqlValue, SqlValue>(Object.entries(object).map(([k, v]) => [k, stringifyJson(v)]));
      }),
    ),
  ]),
  scalar('JSON_ITEMS', JSON_CATEGORY, 'The elements of a JSON array as JSON text.', [
    sig(
      'STRING input',
      'ARRAY<STRING>',
      strict(([j]) => parsedArray(j as string)?.map((n) => stringifyJson(n)) ?? null),
    ),
  ]),
  scalar('IS_JSON_STRING', JSON_CATEGORY, 'Whether the text is valid JSON.', [
    sig('STRING input', 'BOOLEAN', ([j]) =>
      j === null || j === undefined ? false : tryParse(j as string).ok,
    ),
  ]),
  scalar('TO_JSON_STRING', JSON_CATEGORY, 'The value as JSON text.', [
    sigFor('T input', 'STRING', (call) => {
      const type = call.argTypes[0];
      return ([v]) =>
        type === null || type === undefined || v === null
          ? 'null'
          : stringifyJson(sortKeys(valueToJson(type, v as SqlValue, 'rest')));
    }),
  ]),
];
