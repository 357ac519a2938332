/**
 * The token set ksqlDB names in `Expecting {...}` after a token mismatch.
 *
 * ANTLR reports what the current rule could take at the point of failure: the expected token,
 * plus the first tokens of the optional parts (loops, options) written right before it in the
 * same rule, which the parser has just skipped. `CREATE STREAM s (k VARCHAR(STRING) (KEY))`
 * thus expects `{',', ')'}`: the loop of further columns, or the closing parenthesis. This
 * module computes those sets from the grammar's productions once.
 */
import {
  Alternation,
  Alternative,
  type IProduction,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  type Rule,
  Terminal,
  type TokenType,
} from 'chevrotain';

type Optional = Option | Repetition | RepetitionWithSeparator;

function isOptional(p: IProduction): p is Optional {
  return p instanceof Option || p instanceof Repetition || p instanceof RepetitionWithSeparator;
}

/** First tokens of a sequence of productions (not following rule ends). */
function firstOf(productions: readonly IProduction[], seen: Set<Rule> = new Set()): TokenType[] {
  const result: TokenType[] = [];
  for (const p of productions) {
    const first = firstOfOne(p, seen);
    result.push(...first.tokens);
    if (!first.optional) break;
  }
  return result;
}

function firstOfOne(p: IProduction, seen: Set<Rule>): { tokens: TokenType[]; optional: boolean } {
  if (p instanceof Terminal) return { tokens: [p.terminalType], optional: false };
  if (p instanceof NonTerminal) {
    if (seen.has(p.referencedRule)) return { tokens: [], optional: false };
    seen.add(p.referencedRule);
    return { tokens: firstOf(p.referencedRule.definition, seen), optional: false };
  }
  if (p instanceof Alternation) {
    const alternatives = p.definition as Alternative[];
    return { tokens: alternatives.flatMap((alt) => firstOf(alt.definition, seen)), optional: false };
  }
  if (p instanceof Alternative) return { tokens: firstOf(p.definition, seen), optional: false };
  if (p instanceof RepetitionMandatory || p instanceof RepetitionMandatoryWithSeparator) {
    return { tokens: firstOf(p.definition, seen), optional: false };
  }
  if (isOptional(p)) return { tokens: firstOf(p.definition, seen), optional: true };
  return { tokens: [], optional: true };
}

/**
 * For every rule and terminal type in it: the first tokens of the optional productions written
 * directly before that terminal (in any sequence of the rule).
 */
export function skippedBeforeTerminals(rules: readonly Rule[]): Map<string, Set<TokenType>> {
  const result = new Map<string, Set<TokenType>>();
  const visitSequence = (rule: string, sequence: readonly IProduction[]) => {
    sequence.forEach((p, index) => {
      if (p instanceof Terminal) {
        const key = `${rule}:${p.terminalType.name}`;
        const set = result.get(key) ?? new Set<TokenType>();
        for (let i = index - 1; i >= 0 && isOptional(sequence[i]!); i--) {
          for (const token of firstOf([sequence[i]!])) set.add(token);
        }
        result.set(key, set);
      }
      if (!(p instanceof NonTerminal) && 'definition' in p && Array.isArray(p.definition)) {
        if (p instanceof Alternation)
          for (const alt of p.definition as Alternative[]) visitSequence(rule, alt.definition);
        else visitSequence(rule, p.definition as IProduction[]);
      }
    });
  };
  for (const rule of rules) visitSequence(rule.name, rule.definition);
  return result;
}
