/**
 * Text forms of values that must match what ksqlDB (Java) prints: doubles as Java's
 * `Double.toString`, decimals in plain notation, and the ISO forms of DATE, TIME and
 * TIMESTAMP used by CAST and the REST API, both ways.
 */
import { catalogMessages } from './messages.js';
import { MILLIS_PER_DAY, ValueError } from './values.js';

/**
 * Java's `Double.toString(d)`: the shortest digits that round-trip (JavaScript finds the same
 * digits), in plain notation with at least one fraction digit when 1e-3 <= |d| < 1e7, else
 * as `d.dddE[-]n`. So 1 is `1.0`, 1e7 is `1.0E7`, 0.0001 is `1.0E-4`.
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Number.POSITIVE_INFINITY) return 'Infinity';
  if (d === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    // JavaScript prints this range in plain notation with the same shortest digits.
    const text = String(d);
    return text.includes('.') ? text : `${text}.0`;
  }
  const sign = d < 0 ? '-' : '';
  let [mantissa = '', exponentText = '0'] = abs.toExponential().split('e');
  if (mantissa.length === 1) {
    // Java never prints fewer than two significant digits; among the two-digit decimals that
    // round to d it takes the closest (Double.MIN_VALUE is 4.9E-324, not 5.0E-324).
    [mantissa = '', exponentText = '0'] = abs.toExponential(1).split('e');
  }
  const digits = mantissa.replace('.', '').replace(/(?<=.)0+$/, '');
  const exponent = Number(exponentText);
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${exponent}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Java's LocalDate.toString of a year: 4 digits, a sign past 9999 or below 0. */
function formatYear(year: number): string {
  if (year > 9999) return `+${year}`;
  if (year < 0) return `-${pad(-year, 4)}`;
  return pad(year, 4);
}

/** `yyyy-MM-dd` of days since the epoch. */
export function formatDate(days: number): string {
  const date = new Date(days * MILLIS_PER_DAY);
  return `${formatYear(date.getUTCFullYear())}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/**
 * Java's LocalTime.toString of the whole seconds of a TIME (ksqlDB drops the millis):
 * `HH:mm:ss`, or `HH:mm` when the seconds are zero.
 */
export function formatTime(millisOfDay: number): string {
  const seconds = Math.floor(millisOfDay / 1000);
  const hh = pad(Math.floor(seconds / 3600), 2);
  const mm = pad(Math.floor(seconds / 60) % 60, 2);
  const ss = seconds % 60;
  return ss === 0 ? `${hh}:${mm}` : `${hh}:${mm}:${pad(ss, 2)}`;
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS` in UTC, ksqlDB's text of a TIMESTAMP. */
export function formatTimestamp(epochMillis: number): string {
  const date = new Date(epochMillis);
  return (
    `${formatYear(date.getUTCFullYear())}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `.${pad(date.getUTCMilliseconds(), 3)}`
  );
}

/** Floor division of epoch millis into days since the epoch (a TIMESTAMP's DATE). */
export function epochDay(epochMillis: number): number {
  return Math.floor(epochMillis / MILLIS_PER_DAY);
}

/** Millis of the day of epoch millis (a TIMESTAMP's TIME); never negative. */
export function millisOfDay(epochMillis: number): number {
  return ((epochMillis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY;
}

const PARTIAL_TIMESTAMP =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function invalidText(kind: string, text: string, expected: string): ValueError {
  return new ValueError(catalogMessages.invalidTimeText(kind, text, expected));
}

function zoneOffsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 3_600_000 + minutes * 60_000);
}

function millisOfFraction(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
}

/**
 * Epoch millis of an ISO-8601 timestamp that may stop after any field, as ksqlDB accepts in
 * comparisons with ROWTIME and in CAST: `2018`, `2018-01-01T00:00:00.001`, with an optional
 * zone `Z`, `+04`, `+0445` or `+04:45` (UTC when absent).
 */
export function parseTimestampText(text: string): number {
  const expected = "yyyy-MM-dd'T'HH:mm:ss.SSS, possibly cut short, with an optional zone offset";
  const m = PARTIAL_TIMESTAMP.exec(text.trim());
  if (m === null) throw invalidText('TIMESTAMP', text, expected);
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', fraction, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisOfFraction(fraction));
  const check = new Date(local);
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw invalidText('TIMESTAMP', text, expected);
  }
  // Date.UTC maps years 0..99 to 1900..1999; set the year explicitly.
  const exact = new Date(local);
  exact.setUTCFullYear(year);
  return exact.getTime() - zoneOffsetMillis(zone);
}

/** Days since the epoch of `yyyy-MM-dd` (or `yyyy` / `yyyy-MM`, the rest defaulting to 01). */
export function parseDateText(text: string): number {
  const trimmed = text.trim();
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(trimmed)) throw invalidText('DATE', text, 'yyyy-MM-dd');
  return epochDay(parseTimestampText(trimmed));
}

/** Millis of the day of `HH:mm[:ss[.fraction]]` (digits past millis are dropped). */
export function parseTimeText(text: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (m === null) throw invalidText('TIME', text, 'HH:mm:ss.SSS');
  const [, h, mi, s = '00', fraction] = m;
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (hour > 23 || minute > 59 || second > 59) throw invalidText('TIME', text, 'HH:mm:ss.SSS');
  return hour * 3_600_000 + minute * 60_000 + second * 1000 + millisOfFraction(fraction);
}
