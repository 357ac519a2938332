/**
 * ksqlDB's mathematical functions. Functions of a DOUBLE declare only the DOUBLE overload:
 * INTEGER, BIGINT and DECIMAL arguments reach it by implicit widening, as in ksqlDB.
 *
 * ROUND rounds halves towards positive infinity (ksqlDB documents it so: -1.5 rounds to -1),
 * whether the value is a DOUBLE or a DECIMAL; TRUNC drops digits towards zero.
 */
import { asDecimalType } from '../../catalog/type-rules.js';
import { decimalType, type SqlType, SqlTypes } from '../../catalog/types.js';
import { compareValues } from '../../catalog/value-compare.js';
import { Decimal, type SqlValue } from '../../catalog/values.js';
import {
  type FunctionDefinition,
  type ReturnSpec,
  sameAsArgument,
  scalar,
  sig,
  sigFor,
  strict,
} from './function-definition.js';

const MATH = 'MATHEMATICAL';
/** decimal.js rounding modes (ROUND_UP = 0 ... ROUND_HALF_FLOOR = 8). */
type Rounding = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
const INT64_MIN_NUMBER = -(2 ** 63);
const INT64_MAX_NUMBER = 2 ** 63;

/** Java's (long) cast of a double: NaN is 0, out-of-range values saturate. */
export function doubleToBigint(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= INT64_MAX_NUMBER) return 2n ** 63n - 1n;
  if (d <= INT64_MIN_NUMBER) return -(2n ** 63n);
  return BigInt(Math.trunc(d));
}

function decimalOf(value: SqlValue | undefined): Decimal {
  if (value === undefined || value === null) throw new Error('missing argument');
  return value instanceof Decimal ? value : new Decimal(String(value));
}

/** Rounds at `places` decimal places (negative: left of the point), halves up. */
function roundDecimal(value: Decimal, places: number, mode: Rounding): Decimal {
  if (places >= 0) return value.toDecimalPlaces(places, mode);
  const factor = new Decimal(10).pow(-places);
  return value.div(factor).toDecimalPlaces(0, mode).mul(factor);
}

function roundDouble(value: number, places: number, mode: Rounding): number {
  if (!Number.isFinite(value)) return value;
  // A decimal has no negative zero, so neither has the result (Java: BigDecimal.doubleValue).
  return roundDecimal(new Decimal(String(value)), places, mode).toNumber() || 0;
}

/**
 * The natural logarithm rounded correctly, as Java's Math.log returns it; V8's Math.log can be
 * one unit in the last place off (ln 3 is 1.0986122886681098 in Java, ...096 in V8).
 */
const LOG_DECIMAL = Decimal.clone({ precision: 30 });
function javaLn(d: number): number {
  if (!(d > 0) || !Number.isFinite(d)) return Math.log(d);
  return new LOG_DECIMAL(d).ln().toNumber();
}

const HALF_UP = Decimal.ROUND_HALF_CEIL as Rounding;
const DOWN = Decimal.ROUND_DOWN as Rounding;

/** ROUND/TRUNC of a DECIMAL(p, s) to a whole number: DECIMAL(p - s, 0), as ksqlDB declares it. */
const WHOLE_DECIMAL: ReturnSpec = {
  text: 'DECIMAL',
  rule: (call) => {
    const type = asDecimalType(call.parameterTypes[0] ?? SqlTypes.INTEGER) ?? decimalType(10, 0);
    return decimalType(Math.max(1, type.precision - type.scale), 0);
  },
};

function decimalScale(type: SqlType): number {
  return type.kind === 'DECIMAL' ? type.scale : 0;
}

/** ROUND and TRUNC share their overloads; only the rounding mode differs. */
function roundingFunction(name: string, description: string, mode: Rounding): FunctionDefinition {
  const wholeDouble = (d: number): bigint =>
    mode === HALF_UP ? doubleToBigint(Math.floor(d + 0.5)) : doubleToBigint(d);
  return scalar(name, MATH, description, [
    sig(
      'INT value',
      'BIGINT',
      strict(([v]) => BigInt(v as number)),
    ),
    sig(
      'BIGINT value',
      'BIGINT',
      strict(([v]) => v as SqlValue),
    ),
    sig(
      'DOUBLE value',
      'BIGINT',
      strict(([v]) => wholeDouble(v as number)),
    ),
    sig(
      'DOUBLE value, INT decimalPlaces',
      'DOUBLE',
      strict(([v, p]) => roundDouble(v as number, p as number, mode)),
    ),
    sigFor('DECIMAL value', WHOLE_DECIMAL, () =>
      strict(([v]) => roundDecimal(decimalOf(v as SqlValue | undefined), 0, mode)),
    ),
    sigFor('DECIMAL value, INT decimalPlaces', sameAsArgument(0, 'DECIMAL'), (call) => {
      const scale = decimalScale(call.returnType);
      return strict(([v, p]) =>
        roundDecimal(
          decimalOf(v as SqlValue | undefined),
          Math.min(p as number, scale),
          mode,
        ).toDecimalPlaces(scale),
      );
    }),
  ]);
}

/** CEIL and FLOOR keep the argument's type; a DECIMAL keeps its scale with zeros after the point. */
function integralFunction(name: string, description: string, mode: Rounding, fn: (d: number) => number) {
  return scalar(name, MATH, description, [
    sig(
      'INT value',
      'INT',
      strict(([v]) => v as SqlValue),
    ),
    sig(
      'BIGINT value',
      'BIGINT',
      strict(([v]) => v as SqlValue),
    ),
    sig(
      'DOUBLE value',
      'DOUBLE',
      strict(([v]) => fn(v as number)),
    ),
    sig(
      'DECIMAL value',
      sameAsArgument(0, 'DECIMAL'),
      strict(([v]) => decimalOf(v as SqlValue | undefined).toDecimalPlaces(0, mode)),
    ),
  ]);
}

function doubleFunction(name: string, description: string, fn: (d: number) => number): FunctionDefinition {
  return scalar(name, MATH, description, [
    sig(
      'DOUBLE value',
      'DOUBLE',
      strict(([v]) => fn(v as number)),
    ),
  ]);
}

/** GREATEST and LEAST: the extreme non-null value among arguments of one comparable type. */
function extremeFunction(name: string, description: string, wantGreater: boolean): FunctionDefinition {
  const pick = (args: readonly unknown[]): SqlValue => {
    let best: SqlValue = null;
    for (const arg of args as readonly SqlValue[]) {
      if (arg === null) continue;
      if (best === null || compareValues(arg, best) * (wantGreater ? 1 : -1) > 0) best = arg;
    }
    return best;
  };
  const types = ['INT', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'];
  return scalar(name, MATH, description, [
    ...types.map((t) => sig(`${t} val, ${t}... vals`, t, pick)),
    sig(
      'DECIMAL val, DECIMAL... vals',
      {
        text: 'DECIMAL',
        rule: (call) => {
          let widest: SqlType | undefined;
          for (const type of call.parameterTypes) {
            if (type?.kind !== 'DECIMAL') continue;
            widest =
              widest?.kind === 'DECIMAL'
                ? decimalType(
                    Math.max(widest.precision - widest.scale, type.precision - type.scale) +
                      Math.max(widest.scale, type.scale),
                    Math.max(widest.scale, type.scale),
                  )
                : type;
          }
          return widest ?? decimalType(10, 0);
        },
      },
      pick,
    ),
  ]);
}

const EARTH_RADIUS_KM = 6371;
const EARTH_RADIUS_MILES = 3959;
const MILES = ['mi', 'mile', 'miles'];
const KILOMETRES = ['km', 'kilometer', 'kilometers', 'kilometre', 'kilometres'];

/** Java's Math.toRadians/toDegrees: a multiplication by a rounded constant, not (d * PI) / 180. */
const DEGREES_TO_RADIANS = 0.017453292519943295;
const RADIANS_TO_DEGREES = 57.29577951308232;

function earthRadius(units: string | null): number {
  const unit = units?.trim().toLowerCase() ?? '';
  if (unit === '' || KILOMETRES.includes(unit)) return EARTH_RADIUS_KM;
  if (MILES.includes(unit)) return EARTH_RADIUS_MILES;
  throw new Error(
    `GeoDistance function units parameter must be one of ${[...MILES, ...KILOMETRES].join(', ')}. Values are case-insensitive.`,
  );
}

/** The haversine great-circle distance, in ksqlDB's order of operations so the doubles match. */
function geoDistance(lat1: number, lon1: number, lat2: number, lon2: number, units: string | null): number {
  if (lat1 < -90 || lat2 < -90 || lat1 > 90 || lat2 > 90) {
    throw new Error(
      'valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees',
    );
  }
  if (lon1 < -180 || lon2 < -180 || lon1 > 180 || lon2 > 180) {
    throw new Error(
      'valid longitude values for GeoDistance function are in the range of -180 to +180 decimal degrees',
    );
  }
  const radius = earthRadius(units);
  const haversin = (v: number) => Math.sin(v / 2) ** 2;
  const deltaLat = (lat2 - lat1) * DEGREES_TO_RADIANS;
  const deltaLon = (lon2 - lon1) * DEGREES_TO_RADIANS;
  const a =
    haversin(deltaLat) +
    haversin(deltaLon) * Math.cos(lat1 * DEGREES_TO_RADIANS) * Math.cos(lat2 * DEGREES_TO_RADIANS);
  return 2 * Math.asin(Math.sqrt(a)) * radius;
}

export const mathFunctions: readonly FunctionDefinition[] = [
  scalar('ABS', MATH, 'The absolute value.', [
    sig(
      'INT value',
      'INT',
      strict(([v]) => Math.abs(v as number)),
    ),
    sig(
      'BIGINT value',
      'BIGINT',
      strict(([v]) => ((v as bigint) < 0n ? -(v as bigint) : (v as bigint))),
    ),
    sig(
      'DOUBLE value',
      'DOUBLE',
      strict(([v]) => Math.abs(v as number)),
    ),
    sig(
      'DECIMAL value',
      sameAsArgument(0, 'DECIMAL'),
      strict(([v]) => decimalOf(v as SqlValue | undefined).abs()),
    ),
  ]),
  integralFunction(
    'CEIL',
    'The smallest integral value not less than the argument.',
    Decimal.ROUND_CEIL as Rounding,
    Math.ceil,
  ),
  integralFunction(
    'FLOOR',
    'The largest integral value not greater than the argument.',
    Decimal.ROUND_FLOOR as Rounding,
    Math.floor,
  ),
  roundingFunction('ROUND', 'Rounds to the nearest value with the given decimal places, halves up.', HALF_UP),
  roundingFunction('TRUNC', 'Truncates to the given decimal places.', DOWN),
  doubleFunction('SQRT', 'The square root.', Math.sqrt),
  doubleFunction('CBRT', 'The cube root.', Math.cbrt),
  doubleFunction('EXP', 'e raised to the power of the argument.', Math.exp),
  doubleFunction('LN', 'The natural logarithm.', javaLn),
  scalar('LOG', MATH, 'The natural logarithm, or the logarithm in a base.', [
    sig(
      'DOUBLE value',
      'DOUBLE',
      strict(([v]) => javaLn(v as number)),
    ),
    sig(
      'DOUBLE base, DOUBLE value',
      'DOUBLE',
      strict(([b, v]) => logInBase(b as number, v as number)),
    ),
  ]),
  scalar('POWER', MATH, 'A base raised to an exponent.', [
    sig(
      'DOUBLE base, DOUBLE exponent',
      'DOUBLE',
      strict(([b, e]) => (b as number) ** (e as number)),
    ),
  ]),
  scalar('SIGN', MATH, 'The sign of the argument: -1, 0 or 1.', [
    sig(
      'INT value',
      'INT',
      strict(([v]) => Math.sign(v as number)),
    ),
    sig(
      'BIGINT value',
      'INT',
      strict(([v]) => ((v as bigint) < 0n ? -1 : (v as bigint) > 0n ? 1 : 0)),
    ),
    sig(
      'DOUBLE value',
      'INT',
      strict(([v]) => (Number.isNaN(v) ? 0 : Math.sign(v as number) || 0)),
    ),
    sig(
      'DECIMAL value',
      'INT',
      strict(([v]) => decimalOf(v as SqlValue | undefined).cmp(0)),
    ),
  ]),
  scalar('RANDOM', MATH, 'A random DOUBLE in [0, 1).', [sig('', 'DOUBLE', () => Math.random())]),
  scalar('PI', MATH, 'The value of pi.', [sig('', 'DOUBLE', () => Math.PI)]),
  doubleFunction('SIN', 'The sine of an angle in radians.', Math.sin),
  doubleFunction('COS', 'The cosine of an angle in radians.', Math.cos),
  doubleFunction('TAN', 'The tangent of an angle in radians.', Math.tan),
  doubleFunction('COT', 'The cotangent of an angle in radians.', (d) => 1 / Math.tan(d)),
  doubleFunction('ASIN', 'The arc sine, in radians.', Math.asin),
  doubleFunction('ACOS', 'The arc cosine, in radians.', Math.acos),
  doubleFunction('ATAN', 'The arc tangent, in radians.', Math.atan),
  scalar('ATAN2', MATH, 'The angle of the point (x, y), in radians.', [
    sig(
      'DOUBLE y, DOUBLE x',
      'DOUBLE',
      strict(([y, x]) => Math.atan2(y as number, x as number)),
    ),
  ]),
  doubleFunction('SINH', 'The hyperbolic sine.', Math.sinh),
  doubleFunction('COSH', 'The hyperbolic cosine.', Math.cosh),
  doubleFunction('TANH', 'The hyperbolic tangent.', Math.tanh),
  doubleFunction('DEGREES', 'Converts radians to degrees.', (d) => d * RADIANS_TO_DEGREES),
  doubleFunction('RADIANS', 'Converts degrees to radians.', (d) => d * DEGREES_TO_RADIANS),
  extremeFunction('GREATEST', 'The highest non-null value among the arguments.', true),
  extremeFunction('LEAST', 'The lowest non-null value among the arguments.', false),
  scalar('GEO_DISTANCE', MATH, 'The great-circle distance between two points, in KM or MI.', [
    sig(
      'DOUBLE lat1, DOUBLE lon1, DOUBLE lat2, DOUBLE lon2',
      'DOUBLE',
      strict(([a, b, c, d]) => geoDistance(a as number, b as number, c as number, d as number, null)),
    ),
    sig('DOUBLE lat1, DOUBLE lon1, DOUBLE lat2, DOUBLE lon2, STRING units', 'DOUBLE', ([a, b, c, d, u]) =>
      a === null || b === null || c === null || d === null
        ? null
        : geoDistance(a as number, b as number, c as number, d as number, (u ?? null) as string | null),
    ),
  ]),
];

function logInBase(base: number, value: number): number {
  // ksqlDB's guard: a base that is not positive, or is 1, has no logarithms.
  if (base <= 0 || base === 1) return Number.NaN;
  return javaLn(value) / javaLn(base);
}
