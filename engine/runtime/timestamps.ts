/**
 * Event time from a TIMESTAMP column: BIGINT and TIMESTAMP columns hold epoch millis; a STRING
 * column is parsed with its TIMESTAMP_FORMAT (java.time pattern, UTC unless the pattern
 * carries a zone). A record whose timestamp cannot be read fails with a TimestampError, which
 * the runner sends to the processing log.
 */
import { DateTimeFormatter, LocalDate, LocalDateTime, ZonedDateTime, ZoneOffset } from '@js-joda/core';
import '@js-joda/timezone';
import type { TimestampColumn } from '../catalog/data-source.js';
import type { SqlValue } from '../catalog/values.js';
import type { SourceStep } from '../plan/physical-plan.js';

export class TimestampError extends Error {
  override readonly name = 'TimestampError';
}

export function timestampExtractor(
  step: SourceStep,
  column: TimestampColumn,
): (row: readonly SqlValue[]) => number {
  const index = step.columns.findIndex((c) => c.name === column.column);
  if (index < 0) throw new Error(`timestamp column ${column.column} is not in the source row`);
  const type = step.columns[index]!.type.kind;
  if (type === 'STRING') {
    const parse = stringTimestampParser(column.format ?? "yyyy-MM-dd'T'HH:mm:ss.SSS");
    return (row) => {
      const v = row[index];
      if (typeof v !== 'string') throw new TimestampError(`Timestamp column ${column.column} is null`);
      return parse(v);
    };
  }
  return (row) => {
    const v = row[index];
    if (v === null || v === undefined) throw new TimestampError(`Timestamp column ${column.column} is null`);
    const ms = Number(v);
    if (ms < 0) throw new TimestampError(`Timestamp column ${column.column} is negative: ${ms}`);
    return ms;
  };
}

/** A parser for one java.time pattern, built once. */
export function stringTimestampParser(pattern: string): (text: string) => number {
  const formatter = DateTimeFormatter.ofPattern(pattern);
  return (text) => {
    try {
      const parsed = formatter.parse(text);
      try {
        return ZonedDateTime.from(parsed).toInstant().toEpochMilli();
      } catch {
        try {
          return LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch {
          return LocalDate.from(parsed).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        }
      }
    } catch (err) {
      throw new TimestampError(
        `Failed to parse timestamp '${text}' with formatter '${pattern}': ${String(err)}`,
      );
    }
  };
}
