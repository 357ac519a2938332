import { describe, expect, it } from 'vitest';
import { formatExpression, parseExpression } from '../../parser/index.js';
import { col, expr, int, withoutLocations } from './helpers.js';

/** Fully parenthesised rendering, to state precedence compactly. */
function shape(text: string): string {
  const render = (e: ReturnType<typeof expr>): string => {
    switch (e.kind) {
      case 'ColumnRef':
        return e.name;
      case 'IntegerLiteral':
        return String(e.value);
      case 'ArithmeticBinary':
      case 'Logical':
      case 'Comparison':
        return `(${render(e.left)} ${e.operator} ${render(e.right)})`;
      case 'ArithmeticUnary':
        return `(${e.operator}${render(e.operand)})`;
      case 'Not':
        return `(NOT ${render(e.operand)})`;
      case 'FunctionCall':
        return `${e.name}(${e.args.map(render).join(', ')})`;
      case 'Between':
        return `(${render(e.value)} BETWEEN ${render(e.lower)} AND ${render(e.upper)})`;
      case 'IsNull':
        return `(${render(e.value)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
      case 'Subscript':
        return `${render(e.base)}[${render(e.index)}]`;
      case 'Dereference':
        return `${render(e.base)}->${e.field}`;
      default:
        return e.kind;
    }
  };
  return render(expr(text));
}

describe('precedence and associativity', () => {
  it.each([
    ['a OR b AND c', '(A OR (B AND C))'],
    ['a AND b OR c', '((A AND B) OR C)'],
    ['NOT a AND b', '((NOT A) AND B)'],
    ['NOT a = b', '(NOT (A = B))'],
    ['a = b AND c = d', '((A = B) AND (C = D))'],
    ['a + b = c * d', '((A + B) = (C * D))'],
    ['a || b + c', 'CONCAT(A, (B + C))'],
    ['a || b || c', 'CONCAT(CONCAT(A, B), C)'],
    ['a + b * c', '(A + (B * C))'],
    ['a - b - c', '((A - B) - C)'],
    ['a / b * c % d', '(((A / B) * C) % D)'],
    ['-a * b', '((-A) * B)'],
    ['-a[1]', '(-A[1])'],
    ['a->b[2]->c', 'A->B[2]->C'],
    ['a BETWEEN 1 AND 2 AND b', '((A BETWEEN 1 AND 2) AND B)'],
    ['a + 1 IS NOT NULL', '((A + 1) IS NOT NULL)'],
    ['(a OR b) AND c', '((A OR B) AND C)'],
    ['a - -1', '(A - -1)'],
  ])('%s', (text, expected) => {
    expect(shape(text)).toBe(expected);
  });

  it('formats with just the parentheses precedence needs', () => {
    const cases = [
      '(A + B) * C',
      'A - (B - C)',
      'NOT (A AND B)',
      '(A = B) IS NULL',
      '-(A + 1)',
      '(A + B)[1]',
    ];
    for (const text of cases) {
      expect(formatExpression(parseExpression(text))).toBe(text);
    }
  });
});

describe('literals', () => {
  it.each([
    ['1', { kind: 'IntegerLiteral', value: 1 }],
    ['-2147483648', { kind: 'IntegerLiteral', value: -2147483648 }],
    ['2147483648', { kind: 'BigIntLiteral', value: '2147483648n' }],
    ['-9223372036854775808', { kind: 'BigIntLiteral', value: '-9223372036854775808n' }],
    ['1.50', { kind: 'DecimalLiteral', value: '1.50', precision: 3, scale: 2 }],
    ['.5', { kind: 'DecimalLiteral', value: '.5', precision: 1, scale: 1 }],
    ['-0.05', { kind: 'DecimalLiteral', value: '-0.05', precision: 1, scale: 2 }],
    ['1e-1', { kind: 'DoubleLiteral', value: 0.1, text: '1e-1' }],
    ['2.5E10', { kind: 'DoubleLiteral', value: 2.5e10, text: '2.5E10' }],
    ["'it''s'", { kind: 'StringLiteral', value: "it's" }],
    ["''", { kind: 'StringLiteral', value: '' }],
    ['true', { kind: 'BooleanLiteral', value: true }],
    ['FALSE', { kind: 'BooleanLiteral', value: false }],
    ['null', { kind: 'NullLiteral' }],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ksqlDB's variable syntax, not a template
    ['${v}', { kind: 'VariableReference', name: 'v' }],
    ["`DECIMAL` '1.5'", { kind: 'DecimalLiteral', value: '1.5', precision: 2, scale: 1 }],
  ])('%s', (text, expected) => {
    expect(expr(text)).toEqual(expected);
  });

  it('rejects numbers out of range', () => {
    expect(() => parseExpression('9223372036854775808')).toThrow(
      'Invalid numeric literal: 9223372036854775808',
    );
    expect(() => parseExpression('-1.7976931348623160E309')).toThrow(
      'Number overflows DOUBLE: -1.7976931348623160E309',
    );
  });

  it('lexes a digit-led word as an identifier and 1e5 as a double', () => {
    expect(expr('1e5')).toEqual({ kind: 'DoubleLiteral', value: 100000, text: '1e5' });
    expect(expr('1e5x')).toEqual(col('1E5X'));
  });
});

describe('identifiers', () => {
  it('upper-cases unquoted names and keeps quoted ones', () => {
    expect(expr('myCol')).toEqual(col('MYCOL'));
    expect(expr('`myCol`')).toEqual(col('myCol'));
    expect(expr('"myCol"')).toEqual(col('myCol'));
    expect(expr('`a``b`')).toEqual(col('a`b'));
    expect(expr('s.`x`')).toEqual(col('x', 'S'));
  });

  it('accepts non-reserved keywords as names and rejects reserved ones', () => {
    expect(expr('key + type')).toEqual({
      kind: 'ArithmeticBinary',
      operator: '+',
      left: col('KEY'),
      right: col('TYPE'),
    });
    expect(() => parseExpression('select')).toThrow(/Syntax Error/);
    expect(expr('`select`')).toEqual(col('select'));
  });

  it('treats keywords case-insensitively', () => {
    expect(expr('a iS nOt NuLl')).toEqual({ kind: 'IsNull', value: col('A'), negated: true });
  });

  it('reads pseudo columns as plain names', () => {
    expect(expr('ROWTIME > WINDOWSTART')).toEqual({
      kind: 'Comparison',
      operator: '>',
      left: col('ROWTIME'),
      right: col('WINDOWSTART'),
    });
  });
});

describe('constructs', () => {
  it('builds function calls, COUNT(*) and DISTINCT', () => {
    expect(expr('count(*)')).toEqual({
      kind: 'FunctionCall',
      name: 'COUNT',
      args: [],
      star: true,
      distinct: false,
    });
    expect(expr('count(distinct x)')).toMatchObject({ name: 'COUNT', args: [col('X')], distinct: true });
  });

  it('builds lambdas and resolves their parameters', () => {
    expect(expr('transform(m, (k, v) => k + v)')).toEqual({
      kind: 'FunctionCall',
      name: 'TRANSFORM',
      star: false,
      distinct: false,
      args: [
        col('M'),
        {
          kind: 'Lambda',
          params: ['K', 'V'],
          body: {
            kind: 'ArithmeticBinary',
            operator: '+',
            left: { kind: 'LambdaVariable', name: 'K' },
            right: { kind: 'LambdaVariable', name: 'V' },
          },
        },
      ],
    });
    expect(expr('filter(a, (x) => x > k)')).toMatchObject({
      args: [col('A'), { kind: 'Lambda', params: ['X'], body: { right: col('K') } }],
    });
  });

  it('builds time units as arguments', () => {
    expect(expr('timestampadd(SECONDS, 5, ts)')).toMatchObject({
      args: [{ kind: 'IntervalUnit', unit: 'SECONDS' }, int(5), col('TS')],
    });
  });

  it('builds CASE, CAST and constructors', () => {
    expect(expr("CASE a WHEN 1 THEN 'x' ELSE 'y' END")).toEqual({
      kind: 'SimpleCase',
      operand: col('A'),
      whens: [{ condition: int(1), result: { kind: 'StringLiteral', value: 'x' } }],
      else: { kind: 'StringLiteral', value: 'y' },
    });
    expect(expr('CAST(a AS ARRAY<DECIMAL(4, 2)>)')).toEqual({
      kind: 'Cast',
      operand: col('A'),
      type: { kind: 'ArrayType', element: { kind: 'DecimalType', precision: 4, scale: 2 } },
    });
    expect(expr("MAP('k' := 1)")).toEqual({
      kind: 'CreateMap',
      entries: [{ key: { kind: 'StringLiteral', value: 'k' }, value: int(1) }],
    });
    expect(expr('STRUCT(a := 1)')).toEqual({ kind: 'CreateStruct', fields: [{ name: 'A', value: int(1) }] });
    expect(expr('ARRAY[]')).toEqual({ kind: 'CreateArray', elements: [] });
  });

  it('keeps the position of each node', () => {
    const e = parseExpression('a +\n  b');
    expect(e.location).toEqual({ line: 1, column: 1, offset: 0 });
    expect(e.kind === 'ArithmeticBinary' && e.right.location).toEqual({ line: 2, column: 3, offset: 6 });
  });

  it('freezes nodes', () => {
    const e = parseExpression('a + 1');
    expect(Object.isFrozen(e)).toBe(true);
    expect(withoutLocations(e)).toEqual({
      kind: 'ArithmeticBinary',
      operator: '+',
      left: col('A'),
      right: int(1),
    });
  });
});
