/**
 * ksqlDB's regular-expression functions. Java and JavaScript regular expressions agree on the
 * syntax these functions see in practice (classes, groups, quantifiers, anchors); compiled
 * patterns are cached because a pattern is usually a literal used for every record.
 */
import { type FunctionDefinition, scalar, sig, strict } from './function-definition.js';

const REGEX = 'REGULAR EXPRESSION';
const patterns = new Map<string, RegExp>();

/**
 * Java's leading inline flags (`(?i)`, `(?s)`, `(?m)`) become JavaScript flags, since Node 20's
 * RegExp has no inline modifiers; the rest of the syntax is shared.
 */
function toJavaScript(pattern: string): { source: string; flags: string } {
  const inline = /^\(\?([imsx]+)\)/.exec(pattern);
  if (inline === null) return { source: pattern, flags: '' };
  const flags = [...new Set(inline[1] ?? '')].filter((f) => f !== 'x').join('');
  return { source: pattern.slice(inline[0].length), flags };
}

function compile(pattern: string, global: boolean): RegExp {
  const key = `${global ? 'g' : '-'}${pattern}`;
  let regex = patterns.get(key);
  if (regex === undefined) {
    const { source, flags } = toJavaScript(pattern);
    const base = `${flags}${global ? 'g' : ''}`;
    try {
      regex = new RegExp(source, `${base}u`);
    } catch {
      try {
        regex = new RegExp(source, base);
      } catch (e) {
        throw new Error(`Invalid regular expression '${pattern}': ${(e as Error).message}`);
      }
    }
    if (patterns.size > 1000) patterns.clear();
    patterns.set(key, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

/**
 * A Java replacement string in JavaScript's syntax: Java escapes with a backslash (`\\$` is a
 * dollar) and names groups `${name}`; JavaScript doubles the dollar and writes `$<name>`.
 */
function javaReplacement(replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] as string;
    if (c === '\\') {
      const next = replacement[++i];
      if (next === undefined) throw new Error('character to be escaped is missing');
      out += next === '$' ? '$$' : next;
    } else if (c === '$') {
      const named = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(replacement.slice(i + 1));
      if (named !== null) {
        out += `$<${named[1]}>`;
        i += named[0].length;
      } else if (/[0-9]/.test(replacement[i + 1] ?? '')) {
        out += '$';
      } else {
        throw new Error(`Illegal group reference in replacement '${replacement}'`);
      }
    } else {
      out += c;
    }
  }
  return out;
}

function extract(pattern: string, input: string, group: number): string | null {
  const m = compile(pattern, false).exec(input);
  return m === null ? null : (m[group] ?? null);
}

function extractAll(pattern: string, input: string, group: number): (string | null)[] {
  return [...input.matchAll(compile(pattern, true))].map((m) => m[group] ?? null);
}

/** Java's Pattern.split(input, -1): trailing empty strings kept; a leading empty match dropped. */
function splitToArray(input: string, pattern: string): string[] {
  if (input === '') return [''];
  const out: string[] = [];
  let last = 0;
  for (const m of input.matchAll(compile(pattern, true))) {
    const at = m.index ?? 0;
    if (m[0] === '' && at === 0) continue;
    out.push(input.slice(last, at));
    last = at + m[0].length;
  }
  out.push(input.slice(last));
  return out;
}

export const regexFunctions: readonly FunctionDefinition[] = [
  scalar('REGEXP_EXTRACT', REGEX, 'The first match of a pattern in the input, or of one of its groups.', [
    sig(
      'STRING pattern, STRING input',
      'STRING',
      strict(([p, s]) => extract(p as string, s as string, 0)),
    ),
    sig(
      'STRING pattern, STRING input, INT group',
      'STRING',
      strict(([p, s, g]) => extract(p as string, s as string, g as number)),
    ),
  ]),
  scalar('REGEXP_EXTRACT_ALL', REGEX, 'Every match of a pattern in the input, or of one of its groups.', [
    sig(
      'STRING pattern, STRING input',
      'ARRAY<STRING>',
      strict(([p, s]) => extractAll(p as string, s as string, 0)),
    ),
    sig(
      'STRING pattern, STRING input, INT group',
      'ARRAY<STRING>',
      strict(([p, s, g]) => extractAll(p as string, s as string, g as number)),
    ),
  ]),
  scalar('REGEXP_REPLACE', REGEX, 'Replaces every match of a pattern.', [
    sig(
      'STRING input, STRING regex, STRING replacement',
      'STRING',
      strict(([s, p, r]) => (s as string).replace(compile(p as string, true), javaReplacement(r as string))),
    ),
  ]),
  scalar('REGEXP_SPLIT_TO_ARRAY', REGEX, 'Splits the input around the matches of a pattern.', [
    sig(
      'STRING input, STRING regex',
      'ARRAY<STRING>',
      strict(([s, p]) => splitToArray(s as string, p as string)),
    ),
  ]),
];
