/**
 * Every message the type model and the value layer show a user, in one place. Where ksqlDB's
 * tests assert a message the wording is ksqlDB's, including its quirks (`DECIMAL(4,2)` without
 * a space in parameter errors, Jackson node class names in JSON conversion errors).
 */

export const catalogMessages = {
  // Types
  decimalPrecisionTooSmall: (p: number, s: number) => `DECIMAL precision must be >= 1: DECIMAL(${p},${s})`,
  decimalScaleNegative: (p: number, s: number) => `DECIMAL scale must be >= 0: DECIMAL(${p},${s})`,
  decimalScaleAbovePrecision: (p: number, s: number) =>
    `DECIMAL precision must be >= scale: DECIMAL(${p},${s})`,
  emptyStructFieldName: () => 'STRUCT field names must not be empty',
  duplicateStructField: (name: string) => `Duplicate field names found in STRUCT: '${name}'`,
  notDecimalConvertible: (kind: string) => `Cannot convert ${kind} to DECIMAL.`,
  arithmeticOnNull: (left: string, right: string) =>
    `Arithmetic on types ${left} and ${right} are not supported.`,
  unsupportedArithmetic: (left: string, right: string) => `Unsupported arithmetic types. ${left} ${right}`,
  castNotSupported: (from: string, to: string) => `Cast of ${from} to ${to} is not supported`,
  cannotImplicitlyCast: (from: string, to: string) => `Cannot implicitly cast ${from} to ${to}`,

  // Schemas
  duplicateColumn: (name: string) => `Duplicate column name: ${name}`,
  headerColumnType: (headers: 'HEADERS' | 'HEADER', name: string, expected: string, actual: string) =>
    `Invalid type for ${headers} column ${name}: expected ${expected}, got ${actual}`,

  // Decimal values
  numericFieldOverflow: (precision: number, scale: number, value: string) =>
    `Numeric field overflow: A field with precision ${precision} and scale ${scale} ` +
    `must round to an absolute value less than 10^${precision - scale}. Got ${value}`,
  decimalNeedsRounding: (value: string, precision: number, scale: number, needs: string) =>
    `Cannot fit decimal '${value}' into DECIMAL(${precision}, ${scale}) without rounding. (Requires ${needs})`,
  notFinite: (value: string) => `Not a finite number: ${value}`,
  notADecimal: (type: string) => `Expected a Decimal for ${type}`,

  // JSON values
  jsonCannotConvert: (node: string, type: string, path: string) =>
    `Can't convert type. sourceType: ${node}, requiredType: ${type}, path: ${path}`,
  jsonCannotCoerceString: (type: string, path: string) =>
    `Can't coerce string to type. targetType: ${type}, path: ${path}`,
  outOfRange: (value: string, type: string, path: string) =>
    `Value ${value} out of range for ${type}, path: ${path}`,
  atPath: (message: string, path: string) => `${message}, path: ${path}`,
  invalidBase64: (type: string, path: string) => `Invalid base64 for ${type}, path: ${path}`,

  // Texts
  invalidTimeText: (kind: string, text: string, expected: string) =>
    `Invalid ${kind} text '${text}': expected ${expected}`,
};
