// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings hold ksqlDB's ${variable} syntax
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../grammar/index.js';

function kinds(text: string): string[] {
  return tokenize(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe('lexer', () => {
  it('tags keywords in any case and leaves other words as identifiers', () => {
    expect(kinds('select Foo fRoM bar')).toEqual([
      'SELECT:select',
      'Identifier:Foo',
      'FROM:fRoM',
      'Identifier:bar',
    ]);
  });

  it('marks non-reserved keywords with the NonReserved category', () => {
    const [key] = tokenize('key').tokens;
    expect(key?.tokenType.name).toBe('KEY');
    expect(key?.tokenType.CATEGORIES?.map((c) => c.name)).toContain('NonReserved');
  });

  it('lexes numbers by form, longest match against digit-led names', () => {
    expect(kinds('1 1.5 .5 1. 1e5 1.5E-3 1e5x 2abc')).toEqual([
      'IntegerLiteral:1',
      'DecimalLiteral:1.5',
      'DecimalLiteral:.5',
      'DecimalLiteral:1.',
      'FloatingPointLiteral:1e5',
      'FloatingPointLiteral:1.5E-3',
      'DigitIdentifier:1e5x',
      'DigitIdentifier:2abc',
    ]);
  });

  it('lexes strings, quoted names, variables and operators', () => {
    expect(kinds('\'it\'\'s\' `a``b` "c""d" ${v} => := -> || <> != <= >= = < >')).toEqual([
      "StringLiteral:'it''s'",
      'BackQuotedIdentifier:`a``b`',
      'QuotedIdentifier:"c""d"',
      'Variable:${v}',
      'Lambda:=>',
      'Assign::=',
      'Arrow:->',
      'Concat:||',
      'NotEquals:<>',
      'NotEquals:!=',
      'LessOrEqual:<=',
      'GreaterOrEqual:>=',
      'Equals:=',
      'LessThan:<',
      'GreaterThan:>',
    ]);
  });

  it('keeps comments apart and positions every token', () => {
    const result = tokenize('-- note\nSELECT /* x */ 1');
    expect(result.comments.map((c) => c.image)).toEqual(['-- note', '/* x */']);
    const [select, one] = result.tokens;
    expect([select?.startLine, select?.startColumn, one?.startColumn]).toEqual([2, 1, 16]);
  });

  it('turns characters no token matches into Unrecognized tokens', () => {
    const result = tokenize('a # b');
    expect(result.tokens.map((t) => t.tokenType.name)).toEqual(['Identifier', 'Unrecognized', 'Identifier']);
    expect(result.errors).toHaveLength(1);
  });
});
