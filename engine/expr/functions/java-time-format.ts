/**
 * java.time's DateTimeFormatter patterns on js-joda, the way ksqlDB's date/time functions use
 * them: US English text (`MMM`, `EEE`, `a`), case-insensitive parsing, missing date fields
 * defaulting to 1970-01-01 and missing time fields to midnight, the zone from the text when
 * the pattern has one, else the zone argument (UTC by default).
 *
 * js-joda's locale data lacks the short names of zones (`zzz`: PDT, BST); those are rendered
 * with Intl, which carries the same CLDR names Java uses, and spliced in as literals.
 */
import {
  ChronoField,
  type DateTimeFormatter,
  DateTimeFormatterBuilder,
  Instant,
  LocalDate,
  LocalDateTime,
  LocalTime,
  type TemporalAccessor,
  TemporalQueries,
  ZonedDateTime,
  ZoneId,
  ZoneOffset,
} from '@js-joda/core';
import '@js-joda/timezone';
import { Locale } from '@js-joda/locale_en-us';
import { MILLIS_PER_DAY } from '../../catalog/values.js';

const formatters = new Map<string, DateTimeFormatter>();
const MAX_CACHED_FORMATTERS = 1000;

function formatterFor(pattern: string): DateTimeFormatter {
  let formatter = formatters.get(pattern);
  if (formatter === undefined) {
    try {
      formatter = new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern(pattern)
        .toFormatter()
        .withLocale(Locale.US);
    } catch (e) {
      throw new Error(`Unknown or invalid date/time pattern '${pattern}': ${(e as Error).message}`);
    }
    if (formatters.size >= MAX_CACHED_FORMATTERS) formatters.clear();
    formatters.set(pattern, formatter);
  }
  return formatter;
}

/** A zone id (`America/New_York`, `UTC`) or an offset (`+0200`, `+02:00`, `Z`). */
export function zoneOf(text: string): ZoneId {
  const trimmed = text.trim();
  try {
    return ZoneId.of(trimmed);
  } catch {
    try {
      return ZoneOffset.of(trimmed);
    } catch {
      throw new Error(`Unknown time-zone ID: ${text}`);
    }
  }
}

const UTC = ZoneOffset.UTC;

function zoneName(zone: ZoneId, instant: Instant, style: 'short' | 'long'): string {
  const id = zone.id();
  if (id === 'Z' || /^[+-]/.test(id)) return style === 'short' ? id : id;
  const render = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: id, timeZoneName: style })
      .formatToParts(new Date(instant.toEpochMilli()))
      .find((p) => p.type === 'timeZoneName')?.value;
  try {
    const us = render('en-US');
    if (us !== undefined && !/^GMT[+-]/.test(us)) return us;
    return render('en-GB') ?? us ?? id;
  } catch {
    return id;
  }
}

/** Replaces unquoted runs of `z` in a pattern with the zone's name as a quoted literal. */
function withZoneNames(pattern: string, zone: ZoneId, instant: Instant): string {
  if (!pattern.includes('z')) return pattern;
  let out = '';
  let quoted = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "'") {
      quoted = !quoted;
      out += c;
      continue;
    }
    if (quoted || c !== 'z') {
      out += c;
      continue;
    }
    let run = 1;
    while (pattern[i + run] === 'z') run++;
    i += run - 1;
    out += `'${zoneName(zone, instant, run >= 4 ? 'long' : 'short').replaceAll("'", "''")}'`;
  }
  return out;
}

export function formatTimestampWith(epochMillis: number, pattern: string, zoneText = 'UTC'): string {
  const zone = zoneOf(zoneText);
  const instant = Instant.ofEpochMilli(epochMillis);
  const formatter = formatterFor(withZoneNames(pattern, zone, instant));
  return ZonedDateTime.ofInstant(instant, zone).format(formatter);
}

export function formatDateWith(epochDay: number, pattern: string): string {
  return LocalDate.ofEpochDay(epochDay).format(formatterFor(pattern));
}

export function formatTimeWith(millisOfDay: number, pattern: string): string {
  return LocalTime.ofNanoOfDay(millisOfDay * 1_000_000).format(formatterFor(pattern));
}

function field(parsed: TemporalAccessor, f: ChronoField, fallback: number): number {
  return parsed.isSupported(f) ? parsed.getLong(f) : fallback;
}

function parsedDate(parsed: TemporalAccessor): LocalDate {
  const date = parsed.query(TemporalQueries.localDate());
  if (date !== null) return date;
  const year = parsed.isSupported(ChronoField.YEAR)
    ? parsed.getLong(ChronoField.YEAR)
    : field(parsed, ChronoField.YEAR_OF_ERA, 1970);
  return LocalDate.of(
    year,
    field(parsed, ChronoField.MONTH_OF_YEAR, 1),
    field(parsed, ChronoField.DAY_OF_MONTH, 1),
  );
}

function parsedTime(parsed: TemporalAccessor): LocalTime {
  const time = parsed.query(TemporalQueries.localTime());
  if (time !== null) return time;
  let hour = field(parsed, ChronoField.HOUR_OF_DAY, -1);
  if (hour < 0) {
    const clock = field(parsed, ChronoField.CLOCK_HOUR_OF_AMPM, field(parsed, ChronoField.HOUR_OF_AMPM, 0));
    hour = (clock % 12) + 12 * field(parsed, ChronoField.AMPM_OF_DAY, 0);
  }
  return LocalTime.of(
    hour,
    field(parsed, ChronoField.MINUTE_OF_HOUR, 0),
    field(parsed, ChronoField.SECOND_OF_MINUTE, 0),
    field(parsed, ChronoField.NANO_OF_SECOND, 0),
  );
}

/**
 * Parses from the start of the text; like ksqlDB's parsers (which pass a ParsePosition), text
 * left over after the pattern is ignored: `PARSE_DATE('2003-12-24-01-01', 'yyyy-MM-dd')`.
 */
function parse(text: string, pattern: string): TemporalAccessor {
  const formatter = formatterFor(pattern);
  try {
    return formatter.parse(text);
  } catch (e) {
    const leftover = /unparsed text found at index (\d+)/.exec((e as Error).message);
    if (leftover !== null) {
      try {
        return formatter.parse(text.slice(0, Number(leftover[1])));
      } catch {
        // Reported below with the original error.
      }
    }
    throw new Error(`Failed to parse '${text}' with pattern '${pattern}': ${(e as Error).message}`);
  }
}

/** Epoch millis of a timestamp text; the zone in the text wins over `zoneText`. */
export function parseTimestampWith(text: string, pattern: string, zoneText = 'UTC'): number {
  const parsed = parse(text, pattern);
  const local = LocalDateTime.of(parsedDate(parsed), parsedTime(parsed));
  const zone = parsed.query(TemporalQueries.zone()) ?? (zoneText === 'UTC' ? UTC : zoneOf(zoneText));
  return local.atZone(zone).toInstant().toEpochMilli();
}

export function parseDateWith(text: string, pattern: string): number {
  return parsedDate(parse(text, pattern)).toEpochDay();
}

export function parseTimeWith(text: string, pattern: string): number {
  return Math.floor(parsedTime(parse(text, pattern)).toNanoOfDay() / 1_000_000);
}

/** The timestamp as wall-clock time in `from`, re-expressed as the same wall-clock in `to`. */
export function convertTimeZone(epochMillis: number, from: string, to: string): number {
  const local = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), UTC);
  const instant = local.atZone(zoneOf(from)).toInstant();
  return LocalDateTime.ofInstant(instant, zoneOf(to)).atZone(UTC).toInstant().toEpochMilli();
}

export function floorDay(epochMillis: number): number {
  return Math.floor(epochMillis / MILLIS_PER_DAY);
}
