import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../../../engine/catalog/types.js';
import { callFunction } from './call-function.js';

const { STRING, INTEGER, BIGINT, DATE, TIME, TIMESTAMP } = SqlTypes;
const s = (v: string | null) => [STRING, v] as const;
const i = (v: number | null) => [INTEGER, v] as const;

describe('date and time functions', () => {
  it('TIMESTAMPTOSTRING in a zone, with zone names (timestamp-to-string.json)', () => {
    const rowtime = [BIGINT, 1526075913000n] as const;
    const pattern = s('yyyy-MM-dd HH:mm:ss zzz');
    expect(callFunction('TIMESTAMPTOSTRING', rowtime, pattern, s('America/Los_Angeles'))).toBe(
      '2018-05-11 14:58:33 PDT',
    );
    expect(callFunction('TIMESTAMPTOSTRING', rowtime, pattern, s('Europe/London'))).toBe(
      '2018-05-11 22:58:33 BST',
    );
    expect(callFunction('TIMESTAMPTOSTRING', rowtime, s("yyyy-MM-dd'T'HH:mm:ss.SSS"))).toBe(
      '2018-05-11T21:58:33.000',
    );
  });

  it('STRINGTOTIMESTAMP and PARSE_TIMESTAMP (stringtimestamp.json)', () => {
    const withZone = s("yyyy-MM-dd'T'HH:mm:ssX");
    expect(callFunction('STRINGTOTIMESTAMP', s('2018-05-11T21:58:33Z'), withZone)).toBe(1526075913000n);
    expect(callFunction('STRINGTOTIMESTAMP', s('2020-05-11T21:58:33z'), withZone)).toBe(1589234313000n);
    expect(callFunction('PARSE_TIMESTAMP', s('2019-05-11T21:58:33'), s("yyyy-MM-dd'T'HH:mm:ss"))).toBe(
      1557611913000,
    );
    expect(callFunction('PARSE_TIMESTAMP', s('2019-05-11 21:58'), s('yyyy-MM-dd HH:mm'), s('+0100'))).toBe(
      1557611880000 - 3_600_000,
    );
    expect(() => callFunction('PARSE_TIMESTAMP', s('nope'), s('yyyy'))).toThrow(/nope/);
    // timestampformat.json: one fraction digit and a numeric zone.
    expect(
      callFunction('STRINGTOTIMESTAMP', s('2019-08-27T13:31:09.2+0000'), s("yyyy-MM-dd'T'HH:mm:ss.SX")),
    ).toBe(1566912669200n);
    expect(callFunction('STRINGTOTIMESTAMP', s('19-08-27 13:31:09+0100'), s('yy-MM-dd HH:mm:ssX'))).toBe(
      1566909069000n,
    );
  });

  it('FORMAT_DATE, DATETOSTRING, PARSE_DATE, STRINGTODATE (format-date.json, stringdate.json)', () => {
    expect(callFunction('FORMAT_DATE', [DATE, 17662], s('yyyy-MM-dd'))).toBe('2018-05-11');
    expect(callFunction('FORMAT_DATE', [DATE, 18993], s('dd-MMM-yyyy'))).toBe('01-Jan-2022');
    expect(callFunction('DATETOSTRING', i(-1), s("dd-MM-yyyy'Sophia'"))).toBe('31-12-1969Sophia');
    expect(callFunction('STRINGTODATE', s('2018-05-11Lit'), s("yyyy-MM-dd'Lit'"))).toBe(17662);
    expect(callFunction('STRINGTODATE', s('01-Jan-2022'), s('dd-MMM-yyyy'))).toBe(18993);
    expect(callFunction('PARSE_DATE', s('11/05/2019'), s('dd/MM/yyyy'))).toBe(18027);
    expect(callFunction('PARSE_DATE', s('2021'), s('yyyy'))).toBe(18628);
    // null.json: text after the pattern is ignored, a short text is an error.
    expect(callFunction('PARSE_DATE', s('2003-12-24-01-01'), s('yyyy-MM-dd'))).toBe(12410);
    expect(() => callFunction('PARSE_DATE', s('2004'), s('yyyy-MM-dd'))).toThrow(/2004/);
  });

  it('FORMAT_TIME and PARSE_TIME, case-insensitive AM/PM (format-time.json, parse-time.json)', () => {
    expect(callFunction('FORMAT_TIME', [TIME, 65000], s('HH_mm_ss_SSS'))).toBe('00_01_05_000');
    expect(callFunction('FORMAT_TIME', [TIME, 1234567], s("HHmmss'AAAAA'"))).toBe('002034AAAAA');
    expect(callFunction('FORMAT_TIME', [TIME, null], s('HH:mm:ss'))).toBeNull();
    expect(callFunction('PARSE_TIME', s('00:01:05Lit'), s("HH:mm:ss'Lit'"))).toBe(65000);
    expect(callFunction('PARSE_TIME', s('11/05/19'), s('HH/mm/ss'))).toBe(39919000);
    expect(callFunction('PARSE_TIME', s('01:00:00 PM'), s('hh:mm:ss a'))).toBe(46800000);
    expect(callFunction('PARSE_TIME', s('01:00:00 Pm'), s('hh:mm:ss a'))).toBe(46800000);
  });

  it('CONVERT_TZ by offset and by zone name (convert-tz.json)', () => {
    expect(callFunction('CONVERT_TZ', [TIMESTAMP, 100], s('+0200'), s('+0500'))).toBe(10800100);
    expect(
      callFunction('CONVERT_TZ', [TIMESTAMP, 1589234313000], s('America/Los_Angeles'), s('America/New_York')),
    ).toBe(1589245113000);
  });

  it('UNIX_TIMESTAMP, UNIX_DATE, FROM_UNIXTIME, FROM_DAYS', () => {
    expect(callFunction('UNIX_TIMESTAMP', [TIMESTAMP, 1589234313000])).toBe(1589234313000n);
    expect((callFunction('UNIX_TIMESTAMP') as bigint) > 100n).toBe(true);
    expect((callFunction('UNIX_DATE') as number) > 100).toBe(true);
    expect(callFunction('UNIX_DATE', [DATE, 10])).toBe(10);
    expect(callFunction('FROM_UNIXTIME', [BIGINT, 1589234313000n])).toBe(1589234313000);
    expect(callFunction('FROM_DAYS', i(-10))).toBe(-10);
  });

  it('DATEADD, TIMEADD, TIMESTAMPADD and their SUB forms take a unit (dateadd.json, timeadd.json)', () => {
    expect(callFunction('DATEADD', { unit: 'DAYS' }, i(10), [DATE, 10])).toBe(20);
    expect(callFunction('DATEADD', { unit: 'DAYS' }, i(-5), [DATE, 2])).toBe(-3);
    expect(callFunction('DATEADD', { unit: 'MILLISECONDS' }, i(null), [DATE, 5])).toBeNull();
    expect(callFunction('DATESUB', { unit: 'DAYS' }, i(5), [DATE, 10])).toBe(5);
    expect(callFunction('TIMEADD', { unit: 'MILLISECONDS' }, i(10), [TIME, 86399995])).toBe(5);
    expect(callFunction('TIMEADD', { unit: 'MILLISECONDS' }, i(-5), [TIME, 2])).toBe(86399997);
    expect(callFunction('TIMESUB', { unit: 'HOURS' }, i(1), [TIME, 0])).toBe(82800000);
    expect(callFunction('TIMESTAMPADD', { unit: 'MILLISECONDS' }, i(10), [TIMESTAMP, 10])).toBe(20);
    expect(callFunction('TIMESTAMPSUB', { unit: 'SECONDS' }, i(1), [TIMESTAMP, 5000])).toBe(4000);
  });
});
