/**
 * The ksqlDB functions DuckDB pull SQL answers, each mapped deliberately to DuckDB SQL that
 * gives ksqlDB's result (checked against Sluice's own implementations in the tests). A function
 * whose DuckDB counterpart behaves differently is either rewritten to ksqlDB's semantics (LEN
 * counts UTF-16 code units, TRIM trims every character up to U+0020 like Java, STDDEV_SAMP is
 * ksqlDB's sample variance, ROUND of a DOUBLE is Java's Math.round, SQRT and LN of values out of
 * their domain are NaN and -Infinity) or refused with a message naming it. Argument types, where
 * the translation depends on them, come from `typeOf` (static types of the translated subset).
 */
import type { FunctionCall } from '../../parser/ast.js';
import { type SqlType, SqlTypes } from '../catalog/types.js';
import type { SqlValue } from '../catalog/values.js';
import { StatementError } from '../errors.js';

export interface FunctionContext {
  /** The DuckDB SQL of an argument. */
  sql(index: number): string;
  /** The static type of an argument, when it can be told. */
  type(index: number): SqlType | undefined;
  bind(value: SqlValue, type: SqlType): string;
}

interface FunctionMapping {
  readonly aggregate?: boolean;
  readonly args: readonly [min: number, max: number];
  readonly translate: (c: FunctionContext, n: number) => string;
  /** The result type, given the argument types (undefined: unknown). */
  readonly result: (types: readonly (SqlType | undefined)[]) => SqlType | undefined;
}

const isIntegral = (t: SqlType | undefined) => t?.kind === 'INTEGER' || t?.kind === 'BIGINT';
const first = (types: readonly (SqlType | undefined)[]) => types.find((t) => t !== undefined);
const fixed = (type: SqlType) => () => type;
const all = (c: FunctionContext, n: number) => Array.from({ length: n }, (_, i) => c.sql(i)).join(', ');
const simple = (
  name: string,
  args: readonly [number, number],
  result: FunctionMapping['result'],
): FunctionMapping => ({
  args,
  translate: (c, n) => `${name}(${all(c, n)})`,
  result,
});

/** Every character Java's String.trim removes: U+0000 to U+0020. */
const JAVA_TRIMMED = Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(i)).join('');
/** Characters outside the Basic Multilingual Plane, two UTF-16 code units each in Java. */
const ASTRAL = '[\\x{10000}-\\x{10FFFF}]';

function refuse(name: string, why: string): never {
  throw new StatementError(`DuckDB SQL pull queries do not support the function ${name}: ${why}`);
}

const MAPPINGS: Readonly<Record<string, FunctionMapping>> = {
  // Aggregates.
  SUM: {
    aggregate: true,
    args: [1, 1],
    translate: (c) => `sum(${c.sql(0)})`,
    result: ([t]) => (isIntegral(t) ? SqlTypes.BIGINT : t),
  },
  AVG: {
    aggregate: true,
    args: [1, 1],
    translate: (c) => `avg(${c.sql(0)})`,
    result: fixed(SqlTypes.DOUBLE),
  },
  MIN: { aggregate: true, args: [1, 1], translate: (c) => `min(${c.sql(0)})`, result: first },
  MAX: { aggregate: true, args: [1, 1], translate: (c) => `max(${c.sql(0)})`, result: first },
  COUNT_DISTINCT: {
    aggregate: true,
    args: [1, 1],
    translate: (c) => `count(DISTINCT ${c.sql(0)})`,
    result: fixed(SqlTypes.BIGINT),
  },
  // ksqlDB's STDDEV_SAMP is the sample variance, 0 for fewer than two values.
  STDDEV_SAMP: {
    aggregate: true,
    args: [1, 1],
    translate: (c) => `coalesce(var_samp(${c.sql(0)}), ${c.bind(0, SqlTypes.DOUBLE)})`,
    result: fixed(SqlTypes.DOUBLE),
  },
  STDDEV_SAMPLE: {
    aggregate: true,
    args: [1, 1],
    translate: (c) => `coalesce(stddev_samp(${c.sql(0)}), ${c.bind(0, SqlTypes.DOUBLE)})`,
    result: fixed(SqlTypes.DOUBLE),
  },
  STDDEV_POP: {
    aggregate: true,
    args: [1, 1],
    translate: (c) => `coalesce(stddev_pop(${c.sql(0)}), ${c.bind(0, SqlTypes.DOUBLE)})`,
    result: fixed(SqlTypes.DOUBLE),
  },

  // Null handling.
  COALESCE: simple('coalesce', [1, 100], first),
  IFNULL: simple('ifnull', [2, 2], first),
  NULLIF: simple('nullif', [2, 2], first),

  // Math.
  ABS: simple('abs', [1, 1], first),
  CEIL: simple('ceil', [1, 1], first),
  FLOOR: simple('floor', [1, 1], first),
  SIGN: {
    args: [1, 1],
    translate: (c) => `CAST(sign(${c.sql(0)}) AS INTEGER)`,
    result: fixed(SqlTypes.INTEGER),
  },
  GREATEST: simple('greatest', [1, 100], first),
  LEAST: simple('least', [1, 100], first),
  POWER: {
    args: [2, 2],
    translate: (c) => `pow(CAST(${c.sql(0)} AS DOUBLE), CAST(${c.sql(1)} AS DOUBLE))`,
    result: fixed(SqlTypes.DOUBLE),
  },
  EXP: { args: [1, 1], translate: (c) => `exp(CAST(${c.sql(0)} AS DOUBLE))`, result: fixed(SqlTypes.DOUBLE) },
  SQRT: {
    args: [1, 1],
    translate: (c) =>
      `(CASE WHEN ${c.sql(0)} < 0 THEN ${c.bind(Number.NaN, SqlTypes.DOUBLE)} ELSE sqrt(CAST(${c.sql(0)} AS DOUBLE)) END)`,
    result: fixed(SqlTypes.DOUBLE),
  },
  LN: { args: [1, 1], translate: (c) => javaLn(c, c.sql(0)), result: fixed(SqlTypes.DOUBLE) },
  LOG: {
    args: [1, 2],
    translate: (c, n) =>
      n === 1 ? javaLn(c, c.sql(0)) : `(${javaLn(c, c.sql(1))} / ${javaLn(c, c.sql(0))})`,
    result: fixed(SqlTypes.DOUBLE),
  },
  PI: { args: [0, 0], translate: () => 'pi()', result: fixed(SqlTypes.DOUBLE) },
  ROUND: {
    args: [1, 2],
    translate: (c, n) => {
      const t = c.type(0);
      if (t === undefined)
        refuse('ROUND', 'the type of its argument cannot be told; CAST it to a type first.');
      if (t.kind === 'DOUBLE') {
        if (n === 2) {
          refuse(
            'ROUND',
            'ROUND of a DOUBLE to decimal places rounds differently in DuckDB; CAST the value to DECIMAL first.',
          );
        }
        // Java's Math.round: half up towards positive infinity, as a BIGINT.
        return `CAST(floor(${c.sql(0)} + ${c.bind(0.5, SqlTypes.DOUBLE)}) AS BIGINT)`;
      }
      if (isIntegral(t) && n === 1) return `CAST(${c.sql(0)} AS BIGINT)`;
      if (t.kind === 'DECIMAL') {
        refuse('ROUND', 'ksqlDB rounds DECIMAL halves towards positive infinity, DuckDB away from zero.');
      }
      return refuse(
        'ROUND',
        `Sluice answers it for INTEGER, BIGINT and DOUBLE, not ${t.kind}${n === 2 ? ' with places' : ''}.`,
      );
    },
    result: ([t]) => (t?.kind === 'DOUBLE' || isIntegral(t) ? SqlTypes.BIGINT : t),
  },

  // Strings.
  UCASE: simple('upper', [1, 1], fixed(SqlTypes.STRING)),
  LCASE: simple('lower', [1, 1], fixed(SqlTypes.STRING)),
  CONCAT: simple('concat', [1, 100], fixed(SqlTypes.STRING)),
  CONCAT_WS: simple('concat_ws', [2, 100], fixed(SqlTypes.STRING)),
  REPLACE: simple('replace', [3, 3], fixed(SqlTypes.STRING)),
  SUBSTRING: {
    args: [2, 3],
    translate: (c, n) => bmpOnly(c, 'SUBSTRING', `substring(${all(c, n)})`),
    result: fixed(SqlTypes.STRING),
  },
  SPLIT: {
    args: [2, 2],
    translate: (c) => `string_split(${c.sql(0)}, ${c.sql(1)})`,
    result: () => ({ kind: 'ARRAY', element: SqlTypes.STRING }),
  },
  // 0, not NULL, for a NULL argument, as ksqlDB answers.
  INSTR: {
    args: [2, 2],
    translate: (c) =>
      bmpOnly(c, 'INSTR', `CAST(coalesce(instr(${all(c, 2)}), ${c.bind(0, SqlTypes.BIGINT)}) AS INTEGER)`),
    result: fixed(SqlTypes.INTEGER),
  },
  TRIM: {
    args: [1, 1],
    translate: (c) => `trim(${c.sql(0)}, ${c.bind(JAVA_TRIMMED, SqlTypes.STRING)})`,
    result: fixed(SqlTypes.STRING),
  },
  // UTF-16 code units, as Java counts them; bytes for BYTES.
  LEN: {
    args: [1, 1],
    translate: (c) => {
      if (c.type(0)?.kind === 'BYTES') return `CAST(octet_length(${c.sql(0)}) AS INTEGER)`;
      const s = c.sql(0);
      return `CAST(length(${s}) + length(regexp_replace(${s}, ${c.bind(`[^${ASTRAL.slice(1)}`, SqlTypes.STRING)}, ${c.bind('', SqlTypes.STRING)}, ${c.bind('g', SqlTypes.STRING)})) AS INTEGER)`;
    },
    result: fixed(SqlTypes.INTEGER),
  },

  // Dates and times (DATE: days since the epoch, TIMESTAMP: epoch millis).
  UNIX_TIMESTAMP: {
    args: [1, 1],
    translate: (c) => `epoch_ms(${c.sql(0)})`,
    result: fixed(SqlTypes.BIGINT),
  },
  FROM_UNIXTIME: {
    args: [1, 1],
    translate: (c) => `epoch_ms(CAST(${c.sql(0)} AS BIGINT))`,
    result: fixed(SqlTypes.TIMESTAMP),
  },
  UNIX_DATE: {
    args: [1, 1],
    translate: (c) => `CAST(${c.sql(0)} - ${c.bind(0, SqlTypes.DATE)} AS INTEGER)`,
    result: fixed(SqlTypes.INTEGER),
  },
  FROM_DAYS: {
    args: [1, 1],
    translate: (c) => `CAST(${c.bind(0, SqlTypes.DATE)} + CAST(${c.sql(0)} AS INTEGER) AS DATE)`,
    result: fixed(SqlTypes.DATE),
  },
};

/**
 * Positions in a string count UTF-16 code units in ksqlDB and code points in DuckDB; they agree
 * unless the string (the first argument) holds a character outside the Basic Multilingual
 * Plane, where the query fails with a message naming the function instead of answering
 * differently.
 */
function bmpOnly(c: FunctionContext, name: string, sql: string): string {
  const message = `DuckDB SQL pull queries answer ${name} only for strings without characters outside the Basic Multilingual Plane (ksqlDB counts UTF-16 code units).`;
  return `(CASE WHEN regexp_matches(${c.sql(0)}, ${c.bind(ASTRAL, SqlTypes.STRING)}) THEN error(${c.bind(message, SqlTypes.STRING)}) ELSE ${sql} END)`;
}

/** Java's Math.log: NaN below 0, -Infinity at 0. */
function javaLn(c: FunctionContext, x: string): string {
  return `(CASE WHEN ${x} < 0 THEN ${c.bind(Number.NaN, SqlTypes.DOUBLE)} WHEN ${x} = 0 THEN ${c.bind(
    Number.NEGATIVE_INFINITY,
    SqlTypes.DOUBLE,
  )} ELSE ln(CAST(${x} AS DOUBLE)) END)`;
}

/** The names of the functions answered, for documentation and messages. */
export const PULL_SQL_FUNCTIONS: readonly string[] = ['COUNT', ...Object.keys(MAPPINGS)].sort();

/** Why each commonly used function is refused, where DuckDB's counterpart differs. */
const REFUSED: Readonly<Record<string, string>> = {
  LPAD: 'DuckDB fails where ksqlDB returns NULL (an empty padding, a negative length).',
  RPAD: 'DuckDB fails where ksqlDB returns NULL (an empty padding, a negative length).',
  CORRELATION: 'DuckDB answers NULL where ksqlDB answers NaN.',
  COLLECT_LIST: 'the order of a snapshot is not the order the rows arrived in.',
  COLLECT_SET: 'the order of a snapshot is not the order the rows arrived in.',
  EARLIEST_BY_OFFSET: 'a snapshot has no offsets.',
  LATEST_BY_OFFSET: 'a snapshot has no offsets.',
  REGEXP_REPLACE: "Java's regular expressions are not DuckDB's.",
  REGEXP_EXTRACT: "Java's regular expressions are not DuckDB's.",
  TIMESTAMPTOSTRING: "Java's date patterns are not DuckDB's.",
  STRINGTOTIMESTAMP: "Java's date patterns are not DuckDB's.",
  FORMAT_TIMESTAMP: "Java's date patterns are not DuckDB's.",
  PARSE_TIMESTAMP: "Java's date patterns are not DuckDB's.",
  FORMAT_DATE: "Java's date patterns are not DuckDB's.",
  PARSE_DATE: "Java's date patterns are not DuckDB's.",
};

/** COUNT(*), COUNT(x), COUNT(DISTINCT x), and every mapped function. */
export function translateFunction(call: FunctionCall, c: FunctionContext): string {
  const name = call.name.toUpperCase();
  if (name === 'COUNT') {
    if (call.star) return 'count(*)';
    if (call.args.length !== 1) refuse('COUNT', 'it takes one argument.');
    return `count(${call.distinct ? 'DISTINCT ' : ''}${c.sql(0)})`;
  }
  const mapping = MAPPINGS[name];
  if (mapping === undefined) {
    refuse(
      name,
      REFUSED[name] ?? `it is not among the functions answered (${PULL_SQL_FUNCTIONS.join(', ')}).`,
    );
  }
  if (call.star) refuse(name, 'it takes no *.');
  if (call.distinct && name !== 'COUNT') refuse(name, 'DISTINCT is only supported in COUNT.');
  const [min, max] = mapping.args;
  if (call.args.length < min || call.args.length > max) {
    refuse(name, `it takes ${min === max ? min : `${min} to ${max}`} arguments, not ${call.args.length}.`);
  }
  return mapping.translate(c, call.args.length);
}

/** The static result type of a call, when it can be told. */
export function functionResultType(
  call: FunctionCall,
  argTypes: readonly (SqlType | undefined)[],
): SqlType | undefined {
  const name = call.name.toUpperCase();
  if (name === 'COUNT') return SqlTypes.BIGINT;
  return MAPPINGS[name]?.result(argTypes);
}
