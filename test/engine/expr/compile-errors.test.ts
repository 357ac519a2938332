/**
 * Compile-time errors: ksqlDB's messages where its conformance files assert them (matched as
 * substrings, as the QTT runner does), with the location of the sub-expression at fault.
 * The expression starts at column 8 of `SELECT <expr> FROM T;`.
 */
import { describe, expect, it } from 'vitest';
import { StatementError } from '../../../engine/errors.js';
import { compileExpression } from '../../../engine/expr/compile.js';
import { ExpressionCompileError } from '../../../engine/expr/errors.js';
import { parseStatement } from '../../../parser/parse.js';
import { compile, compileError, scope, testRegistry } from './expr-harness.js';

describe('ksqlDB messages', () => {
  it.each([
    // comparison-expression.json
    ["I >= 'not an int'", "Cannot compare I (INTEGER) to 'not an int' (STRING) with GREATER_THAN_OR_EQUAL."],
    ['I > S', 'Cannot compare I (INTEGER) to S (STRING) with GREATER_THAN.'],
    [
      'TRUE + 1.5',
      'Error processing expression: (true + 1.5). Unsupported arithmetic types. BOOLEAN DECIMAL',
    ],
    // binary-comparison.json
    ['ARR < ARR', 'Cannot compare ARR (ARRAY<INTEGER>) to ARR (ARRAY<INTEGER>) with LESS_THAN.'],
    ['M < M', 'Cannot compare M (MAP<STRING, INTEGER>) to M (MAP<STRING, INTEGER>) with LESS_THAN.'],
    ['I > ARRAY[0]', 'Cannot compare I (INTEGER) to ARRAY[0] (ARRAY<INTEGER>) with GREATER_THAN.'],
    ['TS = TM', 'Cannot compare TS (TIMESTAMP) to TM (TIME) with EQUAL.'],
    // null.json
    ['NULL <> NULL', 'Comparison with NULL not supported: NULL <> NULL'],
    ['1 = NULL', 'Comparison with NULL not supported: INTEGER = NULL'],
    [
      'NULL',
      "Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).",
    ],
    // ksqlDB's evaluator parity tests
    ['1 + NULL', 'Error processing expression'],
    ["'a' + NULL", 'Error processing expression'],
    ['1 + S', 'Error processing expression: (1 + S). Unsupported arithmetic types. INTEGER STRING'],
    // case-expression.json
    ['CASE WHEN I < 2 THEN NULL ELSE NULL END', 'Invalid Case expression. All case branches have NULL type'],
    ["CASE WHEN I THEN 'a' END", "WHEN operand type should be boolean.\nType for 'I' is INTEGER"],
    [
      "CASE WHEN I < 2 THEN 'a' WHEN I < 3 THEN ARR END",
      "Invalid Case expression. Type for all 'THEN' clauses should be the same.\nTHEN expression 'WHEN (I < 3) THEN ARR' has type: ARRAY<INTEGER>.\nPrevious THEN expression(s) type: STRING.",
    ],
    [
      "CASE WHEN I < 2 THEN 'a' ELSE 1 END",
      "Type for the default clause should be the same as for 'THEN' clauses.",
    ],
    // in.json (ksqlDB adds "Invalid Predicate: " in WHERE)
    ["BOOL IN (TRUE, 'Not a boolean')", 'invalid input syntax for type BOOLEAN: "Not a boolean".'],
    [
      'BOOL IN (TRUE, S)',
      'operator does not exist: BOOLEAN = STRING (S)\nHint: You might need to add explicit type casts.',
    ],
    ['I IN (10, TRUE)', 'operator does not exist: INTEGER = BOOLEAN (true)'],
    ['I IN (10, S)', 'operator does not exist: INTEGER = STRING (S)'],
    ["B IN (10, '10 - not a number')", 'invalid input syntax for type BIGINT: "10 - not a number".'],
    ["D IN (10.0, '10.0 - not a number')", 'invalid input syntax for type DOUBLE: "10.0 - not a number".'],
    ["DEC IN (10.0, '10.0 - not a number')", 'invalid input syntax for type DECIMAL: "10.0 - not a number".'],
    ['DEC IN (10, TRUE)', 'operator does not exist: DECIMAL(12, 2) = BOOLEAN (true)'],
    ['S IN (10, D)', 'operator does not exist: STRING = DOUBLE (D)'],
    ['ARRB IN (ARRB, ARRAY[BOOL])', 'operator does not exist: ARRAY<BIGINT> = ARRAY<BOOLEAN> (ARRAY[BOOL])'],
    ["ARRB IN (ARRB, ARRAY['10', 'not 10'])", 'invalid input syntax for type BIGINT: "not 10"'],
    [
      'ARRB IN (ARRAY[1,2], ARRAY_LENGTH(ARRB))',
      'operator does not exist: ARRAY<BIGINT> = INTEGER (ARRAY_LENGTH(ARRB))',
    ],
    [
      "M IN (M, MAP('a' := BOOL))",
      "operator does not exist: MAP<STRING, INTEGER> = MAP<STRING, BOOLEAN> (MAP('a':=BOOL))",
    ],
    [
      'STRUCT(F0 := B) IN (STRUCT(F0 := BOOL))',
      'operator does not exist: STRUCT<`F0` BIGINT> = STRUCT<`F0` BOOLEAN> (STRUCT(F0:=BOOL))',
    ],
    ["M IN (M, MAP('10' := 'not 10'))", 'invalid input syntax for type INTEGER: "not 10"'],
    ['M IN (10)', 'operator does not exist: MAP<STRING, INTEGER> = INTEGER (10)'],
    // create_array.json, create_map.json, create-struct.json
    ['ARRAY[]', 'Array constructor cannot be empty. Please supply at least one element'],
    ['ARRAY[NULL]', 'Cannot construct an array with all NULL elements'],
    ["ARRAY[1, 'not a number']", 'invalid input syntax for type INTEGER: "not a number"'],
    ["MAP(1 := 'a', 'hello' := 'b')", 'invalid input syntax for type INTEGER: "hello".'],
    ['MAP(NULL := 1)', 'Cannot construct a map with all NULL keys'],
    ["MAP('a' := NULL)", 'Cannot construct a map with all NULL values'],
    ['STRUCT(A := 1, A := 2)', 'Duplicate field names found in STRUCT'],
    // cast.json
    ['CAST(S AS ARRAY<INTEGER>)', 'Cast of STRING to ARRAY<INTEGER> is not supported'],
    // functions (the registry's messages pass through)
    ['NOSUCH(1)', "Can't find any functions with the name 'NOSUCH'"],
    ['ABS(S)', "Function 'abs' does not accept parameters (STRING)."],
    // names
    ['UNKNOWN', "Column 'UNKNOWN' cannot be resolved."],
    ['X.I', "Column 'X.I' cannot be resolved."],
    ['ST->NOPE', "Could not find field 'NOPE' in 'ST'."],
    ['I->X', 'Expected STRUCT type, got: INTEGER'],
    [
      'ST[1]',
      'Subscript expression (ST[1]) do not apply to STRUCT<`NAME` STRING, `ADDR` STRUCT<`CITY` STRING>, `n` INTEGER>. Use the dereference operator for STRUCTS: ST->1',
    ],
    ["I LIKE 'x'", 'LIKE requires STRING operands: I is INTEGER.'],
    ["S LIKE 'x!' ESCAPE '!'", 'LIKE pattern must not end with escape character'],
    ['I AND TRUE', 'AND requires BOOLEAN operands: I is INTEGER.'],
    ['NOT S', 'NOT requires BOOLEAN operands: S is STRING.'],
    ['-S', 'Unsupported arithmetic type for unary -: STRING'],
    ["ROWTIME > 'not a time'", "Invalid timestamp literal 'not a time'"],
    ['SUM(I)', 'Aggregate function SUM(I) is not allowed here.'],
    ['EXPLODE(ARR)', 'Table function EXPLODE(ARR) is not allowed here.'],
  ])('%s', (sql, message) => {
    const error = compileError(sql);
    expect(error).toBeInstanceOf(ExpressionCompileError);
    expect(error).toBeInstanceOf(StatementError);
    expect(error.message).toContain(message);
  });

  it('names the clause in unknown-column messages when told it', () => {
    expect(() => compile('BOB', { clause: 'WHERE' })).toThrow("WHERE column 'BOB' cannot be resolved.");
    expect(() => compile('I.BOB', { clause: 'SELECT' })).toThrow("SELECT column 'I.BOB' cannot be resolved.");
  });

  it('marks the errors ksqlDB finds while generating code ("Invalid Predicate: ", "Invalid Select: ")', () => {
    expect((compileError('I IN (10, S)') as ExpressionCompileError).phase).toBe('code-generation');
    expect((compileError('CAST(S AS ARRAY<INTEGER>)') as ExpressionCompileError).phase).toBe(
      'code-generation',
    );
    expect((compileError("I >= 'x'") as ExpressionCompileError).phase).toBe('type-check');
    expect((compileError("ARRAY[1, 'x']") as ExpressionCompileError).phase).toBe('type-check');
  });
});

describe('error locations', () => {
  function located(sql: string): { line: number; column: number } {
    const { statement } = parseStatement(sql);
    if (statement.kind !== 'Query') throw new Error('not a query');
    const where = statement.where!;
    try {
      compileExpression(where, scope, testRegistry);
    } catch (error) {
      const location = (error as ExpressionCompileError).location!;
      return { line: location.line, column: location.column };
    }
    throw new Error('expected a compile error');
  }

  it('points at the sub-expression at fault', () => {
    expect(located('SELECT * FROM T WHERE I > 1 AND BOB = 2;')).toEqual({ line: 1, column: 33 });
    expect(located('SELECT *\nFROM T\nWHERE I > 1\n  AND S > 5;')).toEqual({ line: 4, column: 7 });
    expect(located('SELECT * FROM T WHERE ST->NOPE = 1;')).toEqual({ line: 1, column: 23 });
    expect(located('SELECT * FROM T WHERE CAST(S AS ARRAY<INTEGER>) IS NULL;')).toEqual({
      line: 1,
      column: 23,
    });
  });

  it('keeps the expression text of the part at fault', () => {
    const error = compileError("I > 1 AND S > 'a' AND (D + TRUE) > 1") as ExpressionCompileError;
    expect(error.expressionText).toBe('(D + true)');
  });
});
