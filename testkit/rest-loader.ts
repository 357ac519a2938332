/** Reading the RQTT-only parts of a test: `responses`, `expectedError`, conditions. */
import { isJsonObject, JsonNumber, type QttJson, type QttJsonObject } from './json-values.js';
import type { ExpectedResponse, ExpectedRestError } from './qtt-model.js';
import { dropUndefined, type Fields, optionalText } from './test-fields.js';

export function readResponse(fields: Fields, field: string, value: QttJson): ExpectedResponse {
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

export function readExpectedError(fields: Fields): ExpectedRestError | undefined {
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

export function readFlags(fields: Fields, field: string, flag: string): Record<string, boolean> | undefined {
  const value = fields.object_(field);
  if (!value) return undefined;
  const flagValue = value[flag] ?? false;
  if (typeof flagValue !== 'boolean') fields.fail(`${field}.${flag}`, 'must be true or false');
  return { [flag]: flagValue };
}
