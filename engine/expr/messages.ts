/**
 * Every message the expression compiler shows a user, in one place. Where ksqlDB's tests assert
 * a message the wording is ksqlDB's (its tests match substrings), including its quirks: a
 * comparison operator is named by its enum (`GREATER_THAN`), a CASE type by its SQL text.
 */

export const exprMessages = {
  // Names
  unknownColumn: (clause: string | undefined, text: string) =>
    clause === undefined
      ? `Column '${text}' cannot be resolved.`
      : `${clause} column '${text}' cannot be resolved.`,
  unknownLambdaVariable: (name: string) => `Unknown lambda variable ${name}.`,
  unsubstitutedVariable: (name: string) =>
    `Variable '${name}' is not defined: \${${name}} was not substituted.`,
  notAStruct: (type: string) => `Expected STRUCT type, got: ${type}`,
  unknownStructField: (field: string, base: string) => `Could not find field '${field}' in '${base}'.`,
  subscriptNotApplicable: (text: string, type: string, dereferenceHint: string | undefined) =>
    `Subscript expression (${text}) do not apply to ${type}.` +
    (dereferenceHint === undefined ? '' : ` Use the dereference operator for STRUCTS: ${dereferenceHint}`),
  arrayIndexType: (text: string, type: string) =>
    `Array index must be an INTEGER or BIGINT: ${text} is ${type}.`,

  // Null
  cannotInferNull: () =>
    "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).",
  comparisonWithNull: (left: string, operator: string, right: string) =>
    `Comparison with NULL not supported: ${left} ${operator} ${right}\nUse 'IS NULL' or 'IS NOT NULL' instead.`,

  // Operators
  arithmeticError: (text: string, reason: string) => `Error processing expression: ${text}. ${reason}`,
  unaryOperand: (operator: string, type: string) =>
    `Unsupported arithmetic type for unary ${operator}: ${type}`,
  cannotCompare: (
    leftText: string,
    leftType: string,
    rightText: string,
    rightType: string,
    operator: string,
  ) => `Cannot compare ${leftText} (${leftType}) to ${rightText} (${rightType}) with ${operator}.`,
  booleanOperand: (operator: string, text: string, type: string) =>
    `${operator} requires BOOLEAN operands: ${text} is ${type}.`,
  likeOperand: (text: string, type: string) => `LIKE requires STRING operands: ${text} is ${type}.`,
  likeEndsWithEscape: () => 'LIKE pattern must not end with escape character',

  // CASE
  whenNotBoolean: (conditionText: string, type: string) =>
    `WHEN operand type should be boolean.\nType for '${conditionText}' is ${type}`,
  caseThenTypes: (whenText: string, type: string, previous: string) =>
    `Invalid Case expression. Type for all 'THEN' clauses should be the same.\n` +
    `THEN expression '${whenText}' has type: ${type}.\nPrevious THEN expression(s) type: ${previous}.`,
  caseDefaultType: (thenType: string, defaultType: string) =>
    `Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses.\n` +
    `THEN type: ${thenType}.\nDEFAULT type: ${defaultType}.`,
  caseAllNull: () => 'Invalid Case expression. All case branches have NULL type',

  // Constructors and lists
  emptyArray: () =>
    'Array constructor cannot be empty. Please supply at least one element ' +
    '(see https://github.com/confluentinc/ksql/issues/4239).',
  allNullArray: () =>
    'Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). ' +
    'As a workaround, you may cast a NULL value to the desired type.',
  emptyMap: () =>
    'Map constructor cannot be empty. Please supply at least one key value pair ' +
    '(see https://github.com/confluentinc/ksql/issues/4239).',
  allNullMapKeys: () =>
    'Cannot construct a map with all NULL keys (see https://github.com/confluentinc/ksql/issues/4239). ' +
    'As a workaround, you may cast a NULL key to the desired type.',
  allNullMapValues: () =>
    'Cannot construct a map with all NULL values (see https://github.com/confluentinc/ksql/issues/4239). ' +
    'As a workaround, you may cast a NULL value to the desired type.',
  structFieldNull: (field: string) =>
    `Can't infer a type of null for STRUCT field ${field}. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`,
  invalidInputSyntax: (type: string, value: string) => `invalid input syntax for type ${type}: "${value}".`,
  operatorDoesNotExist: (target: string, source: string, text: string) =>
    `operator does not exist: ${target} = ${source} (${text})\nHint: You might need to add explicit type casts.`,

  // Functions
  lambdaOutsideCall: () =>
    'Lambda expressions are only allowed as arguments of TRANSFORM, FILTER and REDUCE.',
  lambdaArity: (expected: number, actual: number) =>
    `Lambda expects ${actual} parameter(s) but the function passes ${expected}.`,
  intervalUnitOutsideCall: (unit: string) => `Time unit ${unit} is only allowed as a function argument.`,
  aggregateNotAllowed: (text: string) => `Aggregate function ${text} is not allowed here.`,
  tableFunctionNotAllowed: (text: string) => `Table function ${text} is not allowed here.`,
  invalidTimestampLiteral: (text: string, reason: string) => `Invalid timestamp literal '${text}': ${reason}`,

  // Run time
  evaluationFailed: (text: string, cause: string) => `Error computing expression ${text}: ${cause}`,
  divisionByZero: () => '/ by zero',
  nullOperand: (operator: string) => `Cannot apply '${operator}' to a NULL operand`,
  decimalDivisionByZero: () => 'Division by zero',
  decimalDivisionUndefined: () => 'Division undefined',
  roundingNecessary: () => 'Rounding necessary',
  numberFormat: (text: string) => `For input string: "${text}"`,
} as const;
