import { type ActualRecord, type ActualValue, isActualFields } from './actual-values.js';
import { ExactDecimal } from './exact-decimal.js';
import { JsonNumber, type QttJson, qttJsonText } from './json-values.js';
import type { TestRecord } from './qtt-model.js';

/** An expected value with its kind, where the kind decides the comparison. */
export function describeExpected(value: QttJson | undefined): string {
  if (value instanceof JsonNumber)
    return `${value.text} (${value.isInteger ? 'integer' : 'decimal'} literal)`;
  return qttJsonText(value);
}

/** An actual value with its kind, e.g. `1.5 (DECIMAL, scale 1)` or `10 (DOUBLE)`. */
export function describeActual(value: ActualValue): string {
  if (typeof value === 'bigint') return `${value} (INT/BIGINT)`;
  if (typeof value === 'number') return `${value} (DOUBLE)`;
  if (value instanceof ExactDecimal) return `${value} (DECIMAL, scale ${value.scale})`;
  if (value instanceof Uint8Array) return `${actualText(value)} (BYTES)`;
  return actualText(value);
}

/** An actual value as JSON-like text; bytes as `bytes:<base64>`. */
export function actualText(value: ActualValue | undefined): string {
  if (value === undefined) return '(absent)';
  if (value === null || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof ExactDecimal) return value.toString();
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('base64')}`;
  if (Array.isArray(value)) return `[${value.map((item: ActualValue) => actualText(item)).join(', ')}]`;
  if (!isActualFields(value)) return String(value);
  const fields = Object.entries(value).map(
    ([name, field]) => `${JSON.stringify(name)}: ${actualText(field)}`,
  );
  return `{${fields.join(', ')}}`;
}

export function renderExpectedRecord(record: TestRecord): string {
  const parts = [`key ${qttJsonText(record.key ?? null)}`, `value ${qttJsonText(record.value)}`];
  if (record.timestamp !== undefined) parts.push(`timestamp ${record.timestamp}`);
  if (record.window)
    parts.push(`window ${record.window.type} [${record.window.start}, ${record.window.end}]`);
  if (record.headers) {
    parts.push(`headers [${record.headers.map((h) => `${h.key}=${h.value ?? 'null'}`).join(', ')}]`);
  }
  return parts.join(', ');
}

export function renderActualRecord(record: ActualRecord): string {
  const parts = [
    `key ${actualText(record.key)}`,
    `value ${actualText(record.value)}`,
    `timestamp ${record.timestamp}`,
  ];
  if (record.window)
    parts.push(`window ${record.window.type} [${record.window.start}, ${record.window.end}]`);
  if (record.headers.length > 0) {
    const headers = record.headers.map(
      (h) => `${h.key}=${h.value === null ? 'null' : Buffer.from(h.value).toString('base64')}`,
    );
    parts.push(`headers [${headers.join(', ')}]`);
  }
  return parts.join(', ');
}
