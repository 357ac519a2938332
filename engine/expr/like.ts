/**
 * SQL LIKE as ksqlDB matches it: `%` is any run of characters, `_` exactly one, the whole
 * value must match, case matters; an ESCAPE character makes the next character literal (so
 * `!!` is a literal `!`), and a pattern may not end with it. A constant pattern becomes one
 * RegExp when the query is compiled; a computed one is converted per distinct pattern.
 */
import type { SqlValue } from '../catalog/values.js';
import { ValueError } from '../catalog/values.js';
import type { Evaluator } from './compile-context.js';
import { exprMessages } from './messages.js';

function quote(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** The RegExp of a LIKE pattern; throws ValueError when it ends with the escape character. */
export function likeRegExp(pattern: string, escapeChar: string | undefined): RegExp {
  let source = '';
  let literal = '';
  let escaped = false;
  for (const c of pattern) {
    if (escaped) {
      literal += c;
      escaped = false;
    } else if (c === escapeChar) {
      escaped = true;
    } else if (c === '%' || c === '_') {
      source += quote(literal) + (c === '%' ? '.*' : '.');
      literal = '';
    } else {
      literal += c;
    }
  }
  if (escaped) throw new ValueError(exprMessages.likeEndsWithEscape());
  // `u` makes `.` one code point, as in Java; like Java's default, `.` does not match line breaks.
  return new RegExp(`^${source}${quote(literal)}$`, 'u');
}

/** NULL for a null value or pattern (ksqlDB fails on those, which makes the whole row's value null). */
export function likeEvaluator(
  value: Evaluator,
  pattern: Evaluator,
  constantPattern: string | null | undefined,
  escapeChar: string | undefined,
  negated: boolean,
): Evaluator {
  if (constantPattern !== undefined) {
    if (constantPattern === null) return () => null;
    const regExp = likeRegExp(constantPattern, escapeChar);
    return (row) => {
      const v = value(row);
      return v === null ? null : regExp.test(v as string) !== negated;
    };
  }
  let lastPattern: string | undefined;
  let lastRegExp: RegExp | undefined;
  return (row) => {
    const v = value(row);
    const p: SqlValue = pattern(row);
    if (v === null || p === null) return null;
    if (p !== lastPattern || lastRegExp === undefined) {
      lastRegExp = likeRegExp(p as string, escapeChar);
      lastPattern = p as string;
    }
    return lastRegExp.test(v as string) !== negated;
  };
}
