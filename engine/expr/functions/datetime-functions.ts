/**
 * ksqlDB's date and time functions, including the deprecated BIGINT/INT forms
 * (TIMESTAMPTOSTRING, STRINGTOTIMESTAMP, DATETOSTRING, STRINGTODATE) that older queries use.
 * DATE is days since the epoch, TIME millis of the day, TIMESTAMP epoch millis (values.ts).
 * The unit argument of DATEADD and friends arrives as its name (`'DAYS'`).
 */
import { MILLIS_PER_DAY } from '../../catalog/values.js';
import { type FunctionDefinition, scalar, sig, strict } from './function-definition.js';
import type { RuntimeArgument } from './function-types.js';
import {
  convertTimeZone,
  floorDay,
  formatDateWith,
  formatTimestampWith,
  formatTimeWith,
  parseDateWith,
  parseTimestampWith,
  parseTimeWith,
} from './java-time-format.js';

const DATE_TIME = 'DATE / TIME';

const UNIT_MILLIS: Readonly<Record<string, number>> = {
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: MILLIS_PER_DAY,
};

function unitMillis(unit: RuntimeArgument | undefined): number {
  const millis = typeof unit === 'string' ? UNIT_MILLIS[unit.toUpperCase()] : undefined;
  if (millis === undefined) throw new Error(`Unsupported time unit: ${String(unit)}`);
  return millis;
}

function intervalMillis(unit: RuntimeArgument | undefined, interval: RuntimeArgument | undefined): number {
  return unitMillis(unit) * Number(interval as number | bigint);
}

function addToDate(days: number, millis: number): number {
  return floorDay(days * MILLIS_PER_DAY + millis);
}

function addToTime(millisOfDay: number, millis: number): number {
  return (((millisOfDay + millis) % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY;
}

/** DATEADD/DATESUB, TIMEADD/TIMESUB, TIMESTAMPADD/TIMESTAMPSUB. */
function arithmetic(
  name: string,
  type: 'DATE' | 'TIME' | 'TIMESTAMP',
  sign: 1 | -1,
  apply: (value: number, millis: number) => number,
): FunctionDefinition {
  const run = strict(([unit, interval, value]) =>
    apply(value as number, sign * intervalMillis(unit, interval)),
  );
  const description = `${sign > 0 ? 'Adds' : 'Subtracts'} an interval of a time unit ${sign > 0 ? 'to' : 'from'} a ${type}.`;
  return scalar(name, DATE_TIME, description, [
    sig(`INTERVALUNIT unit, INT interval, ${type} ${type.toLowerCase()}`, type, run),
  ]);
}

const asNumber = (v: RuntimeArgument | undefined): number => Number(v as number | bigint);

export const datetimeFunctions: readonly FunctionDefinition[] = [
  scalar('UNIX_TIMESTAMP', DATE_TIME, 'The current time, or a TIMESTAMP, as epoch millis.', [
    sig('', 'BIGINT', () => BigInt(Date.now())),
    sig(
      'TIMESTAMP timestamp',
      'BIGINT',
      strict(([t]) => BigInt(t as number)),
    ),
  ]),
  scalar('UNIX_DATE', DATE_TIME, 'The current date, or a DATE, as days since the epoch.', [
    sig('', 'INT', () => floorDay(Date.now())),
    sig(
      'DATE date',
      'INT',
      strict(([d]) => d as number),
    ),
  ]),
  scalar('FROM_UNIXTIME', DATE_TIME, 'The TIMESTAMP of epoch millis.', [
    sig(
      'BIGINT epochMilli',
      'TIMESTAMP',
      strict(([m]) => asNumber(m)),
    ),
  ]),
  scalar('FROM_DAYS', DATE_TIME, 'The DATE of days since the epoch.', [
    sig(
      'INT days',
      'DATE',
      strict(([d]) => d as number),
    ),
  ]),
  scalar('TIMESTAMPTOSTRING', DATE_TIME, 'Formats epoch millis with a pattern, in UTC or a zone.', [
    sig(
      'BIGINT epochMilli, STRING formatPattern',
      'STRING',
      strict(([m, p]) => formatTimestampWith(asNumber(m), p as string)),
    ),
    sig(
      'BIGINT epochMilli, STRING formatPattern, STRING timeZone',
      'STRING',
      strict(([m, p, z]) => formatTimestampWith(asNumber(m), p as string, z as string)),
    ),
  ]),
  scalar('STRINGTOTIMESTAMP', DATE_TIME, 'Parses text with a pattern into epoch millis.', [
    sig(
      'STRING formattedTimestamp, STRING formatPattern',
      'BIGINT',
      strict(([t, p]) => BigInt(parseTimestampWith(t as string, p as string))),
    ),
    sig(
      'STRING formattedTimestamp, STRING formatPattern, STRING timeZone',
      'BIGINT',
      strict(([t, p, z]) => BigInt(parseTimestampWith(t as string, p as string, z as string))),
    ),
  ]),
  scalar('FORMAT_TIMESTAMP', DATE_TIME, 'Formats a TIMESTAMP with a pattern, in UTC or a zone.', [
    sig(
      'TIMESTAMP timestamp, STRING formatPattern',
      'STRING',
      strict(([t, p]) => formatTimestampWith(t as number, p as string)),
    ),
    sig(
      'TIMESTAMP timestamp, STRING formatPattern, STRING timeZone',
      'STRING',
      strict(([t, p, z]) => formatTimestampWith(t as number, p as string, z as string)),
    ),
  ]),
  scalar('PARSE_TIMESTAMP', DATE_TIME, 'Parses text with a pattern into a TIMESTAMP.', [
    sig(
      'STRING formattedTimestamp, STRING formatPattern',
      'TIMESTAMP',
      strict(([t, p]) => parseTimestampWith(t as string, p as string)),
    ),
    sig(
      'STRING formattedTimestamp, STRING formatPattern, STRING timeZone',
      'TIMESTAMP',
      strict(([t, p, z]) => parseTimestampWith(t as string, p as string, z as string)),
    ),
  ]),
  scalar('DATETOSTRING', DATE_TIME, 'Formats days since the epoch with a pattern.', [
    sig(
      'INT epochDays, STRING formatPattern',
      'STRING',
      strict(([d, p]) => formatDateWith(d as number, p as string)),
    ),
  ]),
  scalar('STRINGTODATE', DATE_TIME, 'Parses text with a pattern into days since the epoch.', [
    sig(
      'STRING formattedDate, STRING formatPattern',
      'INT',
      strict(([t, p]) => parseDateWith(t as string, p as string)),
    ),
  ]),
  scalar('FORMAT_DATE', DATE_TIME, 'Formats a DATE with a pattern.', [
    sig(
      'DATE date, STRING formatPattern',
      'STRING',
      strict(([d, p]) => formatDateWith(d as number, p as string)),
    ),
  ]),
  scalar('PARSE_DATE', DATE_TIME, 'Parses text with a pattern into a DATE.', [
    sig(
      'STRING formattedDate, STRING formatPattern',
      'DATE',
      strict(([t, p]) => parseDateWith(t as string, p as string)),
    ),
  ]),
  scalar('FORMAT_TIME', DATE_TIME, 'Formats a TIME with a pattern.', [
    sig(
      'TIME time, STRING formatPattern',
      'STRING',
      strict(([t, p]) => formatTimeWith(t as number, p as string)),
    ),
  ]),
  scalar('PARSE_TIME', DATE_TIME, 'Parses text with a pattern into a TIME.', [
    sig(
      'STRING formattedTime, STRING formatPattern',
      'TIME',
      strict(([t, p]) => parseTimeWith(t as string, p as string)),
    ),
  ]),
  scalar('CONVERT_TZ', DATE_TIME, 'Converts a TIMESTAMP from one time zone to another.', [
    sig(
      'TIMESTAMP timestamp, STRING fromTimeZone, STRING toTimeZone',
      'TIMESTAMP',
      strict(([t, from, to]) => convertTimeZone(t as number, from as string, to as string)),
    ),
  ]),
  arithmetic('DATEADD', 'DATE', 1, addToDate),
  arithmetic('DATESUB', 'DATE', -1, addToDate),
  arithmetic('TIMEADD', 'TIME', 1, addToTime),
  arithmetic('TIMESUB', 'TIME', -1, addToTime),
  arithmetic('TIMESTAMPADD', 'TIMESTAMP', 1, (t, millis) => t + millis),
  arithmetic('TIMESTAMPSUB', 'TIMESTAMP', -1, (t, millis) => t + millis),
];
