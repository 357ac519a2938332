/**
 * parse(format(e)) = e for random expressions: every operator, precedence level and literal form,
 * nested at random. A seeded generator keeps the run deterministic.
 */
import { describe, expect, it } from 'vitest';
import type { Expression, SqlType } from '../../parser/index.js';
import { formatExpression, parseExpression } from '../../parser/index.js';
import { withoutLocations } from './helpers.js';

/** Park-Miller: small, seeded, good enough to pick shapes. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const name = () => pick(['A', 'B', 'COL_1', 'KEY', 'mixedCase', 'with space', 'TYPE', 'ROWTIME']);

  const leaf = (): Expression =>
    pick<() => Expression>([
      () => ({ kind: 'ColumnRef', name: name() }),
      () => ({ kind: 'ColumnRef', source: pick(['S', 'o']), name: name() }),
      () => ({ kind: 'IntegerLiteral', value: pick([0, 7, -3, 2147483647, -2147483648]) }),
      () => ({ kind: 'BigIntLiteral', value: pick([2147483648n, -9007199254740993n]) }),
      () => ({ kind: 'DecimalLiteral', value: '1.50', precision: 3, scale: 2 }),
      () => ({ kind: 'DecimalLiteral', value: '-0.5', precision: 1, scale: 1 }),
      () => ({ kind: 'DoubleLiteral', value: 1000, text: '1e3' }),
      () => ({ kind: 'DoubleLiteral', value: -0.025, text: '-2.5E-2' }),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ksqlDB's variable syntax inside a string
      () => ({ kind: 'StringLiteral', value: pick(['', "it's", 'a;b', '${x}']) }),
      () => ({ kind: 'BooleanLiteral', value: next() < 0.5 }),
      () => ({ kind: 'NullLiteral' }),
      () => ({ kind: 'VariableReference', name: 'v1' }),
    ])();

  const type = (depth: number): SqlType =>
    depth <= 0
      ? { kind: 'PrimitiveType', name: pick(['INTEGER', 'STRING', 'DOUBLE', 'TIMESTAMP'] as const) }
      : pick<() => SqlType>([
          () => ({ kind: 'ArrayType', element: type(depth - 1) }),
          () => ({ kind: 'MapType', key: { kind: 'PrimitiveType', name: 'STRING' }, value: type(depth - 1) }),
          () => ({ kind: 'DecimalType', precision: 10, scale: 2 }),
          () => ({ kind: 'StructType', fields: [{ name: name(), type: type(depth - 1) }] }),
          () => ({ kind: 'CustomType', name: pick(['ADDRESS', 'int']) }),
        ])();

  const expression = (depth: number): Expression => {
    if (depth <= 0) return leaf();
    const sub = () => expression(depth - 1);
    return pick<() => Expression>([
      leaf,
      () => ({ kind: 'Logical', operator: pick(['AND', 'OR'] as const), left: sub(), right: sub() }),
      () => ({ kind: 'Not', operand: sub() }),
      () => ({
        kind: 'Comparison',
        operator: pick([
          '=',
          '<>',
          '<',
          '<=',
          '>',
          '>=',
          'IS DISTINCT FROM',
          'IS NOT DISTINCT FROM',
        ] as const),
        left: sub(),
        right: sub(),
      }),
      () => ({ kind: 'Between', value: sub(), lower: sub(), upper: sub(), negated: next() < 0.5 }),
      () => ({ kind: 'InList', value: sub(), list: [sub(), sub()], negated: next() < 0.5 }),
      () => ({ kind: 'Like', value: sub(), pattern: sub(), escape: '!', negated: next() < 0.5 }),
      () => ({ kind: 'IsNull', value: sub(), negated: next() < 0.5 }),
      () => ({
        kind: 'ArithmeticBinary',
        operator: pick(['+', '-', '*', '/', '%'] as const),
        left: sub(),
        right: sub(),
      }),
      () => ({ kind: 'ArithmeticUnary', operator: pick(['-', '+'] as const), operand: sub() }),
      () => ({ kind: 'FunctionCall', name: 'CONCAT', args: [sub(), sub()], star: false, distinct: false }),
      () => ({ kind: 'FunctionCall', name: 'COUNT', args: [], star: true, distinct: false }),
      () => ({ kind: 'FunctionCall', name: 'MAP', args: [sub()], star: false, distinct: next() < 0.5 }),
      () => ({ kind: 'Subscript', base: sub(), index: sub() }),
      () => ({ kind: 'Dereference', base: sub(), field: name() }),
      () => ({ kind: 'SearchedCase', whens: [{ condition: sub(), result: sub() }], else: sub() }),
      () => ({ kind: 'SimpleCase', operand: sub(), whens: [{ condition: sub(), result: sub() }] }),
      () => ({ kind: 'Cast', operand: sub(), type: type(2) }),
      () => ({ kind: 'CreateArray', elements: [sub(), sub()] }),
      () => ({ kind: 'CreateMap', entries: [{ key: sub(), value: sub() }] }),
      () => ({ kind: 'CreateStruct', fields: [{ name: name(), value: sub() }] }),
      () => ({
        kind: 'FunctionCall',
        name: 'TRANSFORM',
        args: [sub(), { kind: 'Lambda', params: ['X', 'Y'], body: { kind: 'LambdaVariable', name: 'X' } }],
        star: false,
        distinct: false,
      }),
      () => ({
        kind: 'FunctionCall',
        name: 'TIMESTAMPADD',
        args: [{ kind: 'IntervalUnit', unit: 'SECONDS' }, sub()],
        star: false,
        distinct: false,
      }),
    ])();
  };
  return expression;
}

describe('format/parse round trip of random expressions', () => {
  it('gives back every expression', () => {
    const expression = generator(random(20_261_126));
    const failures: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const original = expression(4);
      const text = formatExpression(original);
      try {
        const back = withoutLocations(parseExpression(text));
        if (JSON.stringify(back) !== JSON.stringify(withoutLocations(original))) failures.push(text);
      } catch (error) {
        failures.push(`${text}\n  ${(error as Error).message}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
