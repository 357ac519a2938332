/**
 * Expressions over one test row: the type each gets and the value it evaluates to, as ksqlDB
 * defines them (its documentation, its QTT conformance files and its evaluator parity tests).
 * The row's columns are in expr-harness.ts (I = 7, B = 10, D = 2.5, DEC = 10.01, S = 'hello',
 * ARR = [10, 20, 30], ST = {NAME: 'ann', ...}, NI/NS/NB null, ...).
 */
import { describe, expect, it } from 'vitest';
import { formatType, type SqlType, SqlTypes } from '../../../engine/catalog/types.js';
import { Decimal, isDecimal, type SqlValue } from '../../../engine/catalog/values.js';
import { compileExpressionSafe, type ExpressionScope } from '../../../engine/expr/compile.js';
import { compile, parse, ROW, structValue, testRegistry } from './expr-harness.js';

/** An expected DECIMAL: value and scale as text. */
function dec(text: string): { decimal: string } {
  return { decimal: text };
}

type Expected = SqlValue | { decimal: string };

function check(sql: string, type: string, expected: Expected): void {
  const compiled = compile(sql);
  expect(formatType(compiled.type)).toBe(type);
  const actual = compiled.evaluate(ROW);
  if (expected !== null && typeof expected === 'object' && 'decimal' in expected) {
    expect(isDecimal(actual), `${sql} is a Decimal`).toBe(true);
    const scale = (type.match(/, (\d+)\)$/)?.[1] ?? '0') as string;
    expect((actual as Decimal).toFixed(Number(scale))).toBe(expected.decimal);
  } else {
    expect(actual).toEqual(expected);
  }
}

type Case = readonly [sql: string, type: string, expected: Expected];

function table(cases: readonly Case[]): void {
  it.each(cases)('%s : %s', (sql, type, expected) => check(sql, type, expected));
}

describe('literals keep ksqlDB types by form', () => {
  table([
    ['1', 'INTEGER', 1],
    ['2147483648', 'BIGINT', 2147483648n],
    ['1.50', 'DECIMAL(3, 2)', dec('1.50')],
    ['1.5E1', 'DOUBLE', 15],
    ["'it''s'", 'STRING', "it's"],
    ['TRUE', 'BOOLEAN', true],
    ['CAST(NULL AS INTEGER)', 'INTEGER', null],
  ]);
});

describe('arithmetic: types and values', () => {
  table([
    // binary-arithmetic.json / operators.json
    ['12 * 4 + 2', 'INTEGER', 50],
    ['2 * 3 + 4', 'INTEGER', 10],
    ['6 / 3 - 4', 'INTEGER', -2],
    ['6 % 4 / 2 * 6', 'INTEGER', 6],
    ['I + B', 'BIGINT', 17n],
    ['B * 25', 'BIGINT', 250n],
    ['D + 10', 'DOUBLE', 12.5],
    ['1.23E10 * 1E-1', 'DOUBLE', 1.23e9],
    ['100 / I + 6', 'INTEGER', 20],
    // integer division truncates toward zero; % keeps the dividend's sign (Java)
    ['-7 / 2', 'INTEGER', -3],
    ['-7 % 2', 'INTEGER', -1],
    ['-4 % 2', 'INTEGER', 0],
    ['B / 4', 'BIGINT', 2n],
    // Java int and long wrap
    ['IMAX + 1', 'INTEGER', -2147483648],
    ['IMIN - 1', 'INTEGER', 2147483647],
    ['IMAX * 2', 'INTEGER', -2],
    ['IMIN / -1', 'INTEGER', -2147483648],
    ['-IMIN', 'INTEGER', -2147483648],
    ['BMAX + 1', 'BIGINT', -9223372036854775808n],
    ['BMAX * 2', 'BIGINT', -2n],
    // doubles are IEEE
    ['1.0E0 / 0', 'DOUBLE', Number.POSITIVE_INFINITY],
    ['D % 1', 'DOUBLE', 0.5],
    // decimals (SQL Server's precision/scale rules, exact results)
    ['DEC + I', 'DECIMAL(13, 2)', dec('17.01')],
    ['DEC - DEC', 'DECIMAL(5, 2)', dec('0.00')],
    ['DEC * 2.0', 'DECIMAL(7, 3)', dec('20.020')],
    ['1.234567 * 5.678', 'DECIMAL(12, 9)', dec('7.009871426')],
    ['3.4 / 2.0 + 199.4', 'DECIMAL(10, 6)', dec('201.100000')],
    ['DEC % 3', 'DECIMAL(4, 2)', dec('1.01')],
    ['DEC + D', 'DOUBLE', 12.51],
    ['-DEC', 'DECIMAL(4, 2)', dec('-10.01')],
    ['+I', 'INTEGER', 7],
    // STRING + STRING concatenates, as ksqlDB's parity tests show
    ["'foo' + 'bar' + 'baz'", 'STRING', 'foobarbaz'],
    ["S + '-blah'", 'STRING', 'hello-blah'],
    // STRING + STRING with a NULL side is NULL
    ['NS + S', 'STRING', null],
  ]);

  it('fails on a NULL operand, as the NullPointerException in ksqlDB does', () => {
    expect(() => compile('NI + 1').evaluate(ROW)).toThrow("Cannot apply '+' to a NULL operand");
    expect(() => compile('-NI').evaluate(ROW)).toThrow("Cannot apply '-' to a NULL operand");
    expect(() => compile('(NI * 2) IS NULL').evaluate(ROW)).toThrow("Cannot apply '*' to a NULL operand");
  });

  it('fails at run time like Java: integer division by zero and inexact decimals', () => {
    expect(() => compile('I / ZERO').evaluate(ROW)).toThrow('/ by zero');
    expect(() => compile('B % 0').evaluate(ROW)).toThrow('/ by zero');
    expect(() => compile('3.456 / 2.654 + 199.4').evaluate(ROW)).toThrow('Rounding necessary');
    expect(() => compile('DEC % 0.0').evaluate(ROW)).toThrow('Division');
  });
});

describe('comparisons', () => {
  table([
    ['I > 6 AND I < 100', 'BOOLEAN', true],
    ['I > 6.5', 'BOOLEAN', true],
    ['I = B - 3', 'BOOLEAN', true],
    ['B > D', 'BOOLEAN', true],
    ['DEC > 10', 'BOOLEAN', true],
    ['DEC = 10.010', 'BOOLEAN', true],
    ['D <= 2.5', 'BOOLEAN', true],
    ["S > 'a'", 'BOOLEAN', true],
    ["S = 'hello'", 'BOOLEAN', true],
    ["'B' < 'a'", 'BOOLEAN', true],
    ['BOOL = TRUE', 'BOOLEAN', true],
    ['BOOL <> TRUE', 'BOOLEAN', false],
    ['BYT = BYT', 'BOOLEAN', true],
    // NULL operands: false, never NULL (ksqlDB's generated code)
    ['NI = 1', 'BOOLEAN', false],
    ['NI <> 1', 'BOOLEAN', false],
    ["NS > 'a'", 'BOOLEAN', false],
    ['NI IS DISTINCT FROM 1', 'BOOLEAN', true],
    ['NI IS DISTINCT FROM NI', 'BOOLEAN', false],
    ['NI IS NOT DISTINCT FROM NI', 'BOOLEAN', true],
    ['I IS NOT DISTINCT FROM 7', 'BOOLEAN', true],
    ['NI IS DISTINCT FROM NULL', 'BOOLEAN', false],
    // time types, and STRINGs parsed as ISO-8601
    ['TS > DT', 'BOOLEAN', true],
    ["DT = '2018-01-01'", 'BOOLEAN', true],
    ["TM > '03:00:00'", 'BOOLEAN', false],
    ["TS >= '2018-01-01T00:00:00.001'", 'BOOLEAN', true],
    ["TS > '2018-01-01T00:00:00.001'", 'BOOLEAN', false],
    // ROWTIME is a BIGINT that compares with timestamp text (magic-timestamp-conversion.json)
    ["ROWTIME > '2018-01-01T00:00:00'", 'BOOLEAN', true],
    ["ROWTIME >= '2018'", 'BOOLEAN', true],
    ["ROWTIME > '2018-01-01T00:00:00.001'", 'BOOLEAN', false],
    ["ROWTIME < '2018-01-01T04:00:00+0445'", 'BOOLEAN', false],
    // structured values compare by value, for (in)equality
    ['ARRAY[0, 1] = ARRAY[0, 1]', 'BOOLEAN', true],
    ['ARR = ARRAY[10, 20, 30]', 'BOOLEAN', true],
    ['ARR = ARRB', 'BOOLEAN', true],
    ["M = MAP('a' := 1, 'b' := 2)", 'BOOLEAN', true],
    ["M <> MAP('a' := 1, 'x' := 2)", 'BOOLEAN', true],
  ]);
});

describe('three-valued logic', () => {
  table([
    ['NOT FALSE AND NOT FALSE', 'BOOLEAN', true],
    ['TRUE OR FALSE AND TRUE', 'BOOLEAN', true],
    ['NB AND TRUE', 'BOOLEAN', null],
    ['NB AND FALSE', 'BOOLEAN', false],
    ['NB OR TRUE', 'BOOLEAN', true],
    ['NB OR FALSE', 'BOOLEAN', null],
    ['NOT NB', 'BOOLEAN', null],
    ['NOT (I > 9 AND I < 100)', 'BOOLEAN', true],
    ['NI IS NULL', 'BOOLEAN', true],
    ['I IS NULL', 'BOOLEAN', false],
    ['NI IS NOT NULL', 'BOOLEAN', false],
    ['NULL IS NULL', 'BOOLEAN', true],
  ]);

  it('does not evaluate the right side when the left decides', () => {
    expect(compile('FALSE AND I / ZERO = 1').evaluate(ROW)).toBe(false);
    expect(compile('TRUE OR I / ZERO = 1').evaluate(ROW)).toBe(true);
  });
});

describe('BETWEEN, IN and LIKE', () => {
  table([
    // between.json
    ['1 BETWEEN 0 AND 2', 'BOOLEAN', true],
    ["'b' BETWEEN 'a' AND 'c'", 'BOOLEAN', true],
    ['D BETWEEN 2 AND 3.9', 'BOOLEAN', true],
    ['I NOT BETWEEN 2 AND 4', 'BOOLEAN', true],
    ['I BETWEEN 7 AND 7', 'BOOLEAN', true],
    ['NI BETWEEN 0 AND 10', 'BOOLEAN', false],
    ["ROWTIME BETWEEN '2018-01-01T00:00:00.001' AND '2018-01-01T00:00:01'", 'BOOLEAN', true],
    // timestamp.json, date.json, time.json: time columns against ISO text
    ["TS BETWEEN '2018-01-01T00:00:00.000' AND '2018-01-01T00:00:00.010'", 'BOOLEAN', true],
    ["DT BETWEEN '2017-12-31' AND '2018-01-10'", 'BOOLEAN', true],
    ["TM = '01:00:00.000'", 'BOOLEAN', true],
    ["TM BETWEEN '00:59' AND '01:00'", 'BOOLEAN', true],
    // in.json: literals coerce to the value's type
    ['I IN (1, 7)', 'BOOLEAN', true],
    ['I IN (1, 2)', 'BOOLEAN', false],
    ["I IN ('7', 8)", 'BOOLEAN', true],
    ['I IN (7.0)', 'BOOLEAN', true],
    ['B IN (I, 10)', 'BOOLEAN', true],
    ['I NOT IN (1, 2)', 'BOOLEAN', true],
    ['I IN (NULL, 7)', 'BOOLEAN', true],
    ['NI IN (1, NULL)', 'BOOLEAN', false],
    ['NI NOT IN (1, 2)', 'BOOLEAN', true],
    ["BOOL IN ('yes')", 'BOOLEAN', true],
    ["S IN ('hello', 10)", 'BOOLEAN', true],
    ["DEC IN (10.01, '10.010')", 'BOOLEAN', true],
    ['ARR IN (ARRAY[10, 20, 30])', 'BOOLEAN', true],
    ["ARRB IN (ARRAY['10', '20', '30'])", 'BOOLEAN', true],
    ["M IN (MAP('a' := 1, 'b' := 2))", 'BOOLEAN', true],
    ['ST->NAME IN (S, NS)', 'BOOLEAN', false],
    // in.json "int - valid long literal": '2147483648' makes the list BIGINT, so no wrap-around
    ["IMIN IN (1, '2147483648')", 'BOOLEAN', false],
    // in.json "bigint - valid": a DOUBLE column makes every candidate a DOUBLE; 5.10 is not 5
    ["B IN (1, 2.0, 3.00, '4.000', 5.10, I, D, DEC)", 'BOOLEAN', false],
    ['B IN (5.10, 10.0)', 'BOOLEAN', true],
    // in.json "string - valid": literals become their text; 10.30 is '10.30', not '10.3'
    ["NUM IN (TRUE, 42, '10.1')", 'BOOLEAN', true],
    ["'10.3' IN (TRUE, 10.30)", 'BOOLEAN', false],
    ["'10.30' IN (TRUE, 10.30)", 'BOOLEAN', true],
    ["'true' IN (TRUE)", 'BOOLEAN', true],
    // in.json "array - valid": constructors convert element-wise; NULL elements match NULL
    ["ARRB IN (ARRAY['10', NULL], ARRAY[10, 20, 30])", 'BOOLEAN', true],
    ["ARRAY[3, NULL] IN (ARRAY['3', NULL])", 'BOOLEAN', true],
    ['ARR IN (ARRB)', 'BOOLEAN', true],
    // like.json: % any run, _ one character, whole value
    ["S LIKE 'h%'", 'BOOLEAN', true],
    ["S LIKE '%ll%'", 'BOOLEAN', true],
    ["S LIKE 'h_llo'", 'BOOLEAN', true],
    ["S LIKE 'h_lo'", 'BOOLEAN', false],
    ["S LIKE 'HELLO'", 'BOOLEAN', false],
    ["S NOT LIKE 'x%'", 'BOOLEAN', true],
    ["'a.c' LIKE 'a.c'", 'BOOLEAN', true],
    ["'abc' LIKE 'a.c'", 'BOOLEAN', false],
    ["'100%' LIKE '100!%' ESCAPE '!'", 'BOOLEAN', true],
    ["'1000' LIKE '100!%' ESCAPE '!'", 'BOOLEAN', false],
    ["'a_b' LIKE 'a$_b' ESCAPE '$'", 'BOOLEAN', true],
    ["'a!b' LIKE 'a!!b' ESCAPE '!'", 'BOOLEAN', true],
    ["'(x)' LIKE '(%)'", 'BOOLEAN', true],
    ["NS LIKE 'a%'", 'BOOLEAN', null],
    ['S LIKE S', 'BOOLEAN', true],
  ]);
});

describe('CASE', () => {
  table([
    ["CASE WHEN I > 5 THEN 'HIGH' WHEN I > 1 THEN 'LOW' ELSE 'foo' END", 'STRING', 'HIGH'],
    ["CASE WHEN I > 25 THEN 'HIGH' WHEN I > 1 THEN 'LOW' ELSE 'foo' END", 'STRING', 'LOW'],
    ["CASE WHEN I > 25 THEN 'HIGH' ELSE 'foo' END", 'STRING', 'foo'],
    ["CASE WHEN I > 25 THEN 'HIGH' END", 'STRING', null],
    ["CASE WHEN I > 5 THEN NULL ELSE 'large' END", 'STRING', null],
    ["CASE WHEN NB THEN 'a' ELSE 'b' END", 'STRING', 'b'],
    ['CASE WHEN I > 5 THEN I ELSE B END', 'BIGINT', 7n],
    ['CASE WHEN I > 5 THEN 1 ELSE 2.5 END', 'DECIMAL(11, 1)', dec('1.0')],
    ["CASE I WHEN 1 THEN 'one' WHEN 7 THEN 'seven' ELSE 'many' END", 'STRING', 'seven'],
    ["CASE NI WHEN 1 THEN 'one' ELSE 'other' END", 'STRING', 'other'],
  ]);

  it('evaluates only the branch it takes', () => {
    expect(compile("CASE WHEN TRUE THEN 'x' ELSE CAST(I / ZERO AS STRING) END").evaluate(ROW)).toBe('x');
    expect(compile('CASE WHEN I / ZERO = 1 THEN 1 ELSE 2 END').evaluate.bind(null, ROW)).toThrow('/ by zero');
  });
});

describe('struct, array and map access', () => {
  table([
    ['ST->NAME', 'STRING', 'ann'],
    ['ST->ADDR->CITY', 'STRING', 'oslo'],
    ['ST->`n`', 'INTEGER', 1],
    ['NST->X', 'INTEGER', null],
    ['ARR[1]', 'INTEGER', 10],
    ['ARR[3]', 'INTEGER', 30],
    ['ARR[-1]', 'INTEGER', 30],
    ['ARR[-3]', 'INTEGER', 10],
    ['ARR[0]', 'INTEGER', null],
    ['ARR[4]', 'INTEGER', null],
    ['ARR[-4]', 'INTEGER', null],
    ['ARR[NI]', 'INTEGER', null],
    ['ARR[B - 9]', 'INTEGER', 10],
    ['NESTED[1][2]', 'INTEGER', 1],
    ['NESTED[2][2]', 'INTEGER', null],
    ["M['a']", 'INTEGER', 1],
    ["M['missing']", 'INTEGER', null],
    ['MI[1]', 'STRING', 'one'],
    ["MI['1']", 'STRING', 'one'],
    ['MI[B - 9]', 'STRING', null],
    ['MI[BOOL]', 'STRING', null],
  ]);
});

describe('constructors', () => {
  table([
    ['ARRAY[1, 2, 3]', 'ARRAY<INTEGER>', [1, 2, 3]],
    ['ARRAY[1, B]', 'ARRAY<BIGINT>', [1n, 10n]],
    ["ARRAY[1, '2']", 'ARRAY<INTEGER>', [1, 2]],
    ["ARRAY['a', 1]", 'ARRAY<STRING>', ['a', '1']],
    ['ARRAY[NULL, 1]', 'ARRAY<INTEGER>', [null, 1]],
    [
      "MAP('a' := 1, 'b' := 2)",
      'MAP<STRING, INTEGER>',
      new Map<SqlValue, SqlValue>([
        ['a', 1],
        ['b', 2],
      ]),
    ],
    [
      "MAP(1 := 'a', 2 := 'b')",
      'MAP<INTEGER, STRING>',
      new Map<SqlValue, SqlValue>([
        [1, 'a'],
        [2, 'b'],
      ]),
    ],
    ["MAP('k' := 1, 'k' := 2)", 'MAP<STRING, INTEGER>', new Map<SqlValue, SqlValue>([['k', 2]])],
    ["STRUCT(A := 123, B := 'abc')", 'STRUCT<`A` INTEGER, `B` STRING>', structValue({ A: 123, B: 'abc' })],
    ['STRUCT(X := NI)', 'STRUCT<`X` INTEGER>', structValue({ X: null })],
    // create-struct.json
    [
      'STRUCT(FOO := S, `foo` := S)',
      'STRUCT<`FOO` STRING, `foo` STRING>',
      structValue({ FOO: 'hello', foo: 'hello' }),
    ],
    ['STRUCT()', 'STRUCT<>', structValue({})],
    // create_map.json "compatible mismatching types": 10 becomes '10', 'true' and 'no' BOOLEANs
    [
      "MAP(S := BOOL, NUM := 'true', 10 := 'no')",
      'MAP<STRING, BOOLEAN>',
      new Map<SqlValue, SqlValue>([
        ['hello', true],
        ['42', true],
        ['10', false],
      ]),
    ],
    [
      'MAP(S := I, NULL := I)',
      'MAP<STRING, INTEGER>',
      new Map<SqlValue, SqlValue>([
        ['hello', 7],
        [null, 7],
      ]),
    ],
  ]);

  it('coerces elements as create_array.json expects', () => {
    const numbers = compile("ARRAY[NULL, 10, '2e1', I, I2]");
    expect(formatType(numbers.type)).toBe('ARRAY<DECIMAL(10, 0)>');
    expect((numbers.evaluate(ROW) as (Decimal | null)[]).map((v) => v?.toFixed() ?? null)).toEqual([
      null,
      '10',
      '20',
      '7',
      '-3',
    ]);
    const structs = compile('ARRAY[NULL, STRUCT(X := I, Y := I2), STRUCT(Y := I, Z := I2)]');
    expect(formatType(structs.type)).toBe('ARRAY<STRUCT<`Y` INTEGER, `Z` INTEGER, `X` INTEGER>>');
    expect(structs.evaluate(ROW)).toEqual([
      null,
      structValue({ Y: -3, Z: null, X: 7 }),
      structValue({ Y: 7, Z: -3, X: null }),
    ]);
  });

  it('widens elements to the common type', () => {
    const compiled = compile('ARRAY[1, 2.5]');
    expect(formatType(compiled.type)).toBe('ARRAY<DECIMAL(11, 1)>');
    const value = compiled.evaluate(ROW) as Decimal[];
    expect(value.map((v) => v.toFixed(1))).toEqual(['1.0', '2.5']);
  });
});

describe('decimal.json: DECIMAL(4,2) arithmetic and comparisons row by row', () => {
  const A = { kind: 'DECIMAL', precision: 4, scale: 2 } as const;
  function rows(sql: string, b: SqlType, inputs: readonly (readonly [SqlValue, SqlValue])[]): SqlValue[] {
    const columns: ExpressionScope = {
      resolveColumn: (_source, name) =>
        name === 'A' ? { index: 0, type: A } : name === 'B' ? { index: 1, type: b } : undefined,
    };
    const compiled = compileExpressionSafe(parse(sql), columns, testRegistry, () => {});
    return inputs.map((row) => {
      const v = compiled.evaluate(row);
      return isDecimal(v) ? Number(v.toFixed()) : v;
    });
  }
  const a = (text: string) => new Decimal(text);

  it('adds a DOUBLE as DOUBLE and an INTEGER as DECIMAL', () => {
    expect(
      rows('A + B', SqlTypes.DOUBLE, [
        [a('10.01'), 5.1],
        [a('10.01'), -5.0],
        [a('10.01'), 0.0],
      ]),
    ).toEqual([15.11, 5.01, 10.01]);
    expect(
      rows('A + B', SqlTypes.INTEGER, [
        [a('10.01'), 5],
        [a('10.01'), -5],
        [a('10.01'), 0],
      ]),
    ).toEqual([15.01, 5.01, 10.01]);
  });

  it('subtracts, multiplies and takes remainders exactly; % 0.0 is null', () => {
    const b = A;
    expect(
      rows('A - B', b, [
        [a('10.1'), a('5.1')],
        [a('10.1'), a('-5.0')],
        [a('10.1'), a('0.0')],
      ]),
    ).toEqual([5.0, 15.1, 10.1]);
    expect(
      rows('A * B', b, [
        [a('10.1'), a('2.0')],
        [a('10.1'), a('-2.0')],
        [a('10.1'), a('0.0')],
      ]),
    ).toEqual([20.2, -20.2, 0.0]);
    expect(
      rows('A % B', b, [
        [a('10.1'), a('2.0')],
        [a('10.1'), a('-2.0')],
        [a('10.1'), a('0.0')],
      ]),
    ).toEqual([0.1, 0.1, null]);
  });

  it('compares with DECIMAL and INTEGER; NULL is false, IS DISTINCT FROM sees it', () => {
    const pairs = [
      [a('10.01'), a('10.01')],
      [a('10.01'), a('12.01')],
      [null, a('10.01')],
      [null, null],
    ] as const;
    expect(rows('A = B', A, pairs)).toEqual([true, false, false, false]);
    expect(rows('A IS DISTINCT FROM B', A, pairs)).toEqual([false, true, true, false]);
    expect(rows('A < B', A, pairs)).toEqual([false, true, false, false]);
    expect(
      rows('A < B', SqlTypes.INTEGER, [
        [a('10.01'), 1],
        [a('10.01'), 12],
        [null, 12],
        [null, null],
      ]),
    ).toEqual([false, true, false, false]);
    expect(
      rows('A < 0.08 AND A > -0.08', A, [
        [a('0.05'), null],
        [a('0.55'), null],
        [a('-0.5'), null],
      ]),
    ).toEqual([true, false, false]);
  });
});
