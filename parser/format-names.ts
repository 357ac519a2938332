/** How the formatter writes names and strings so that parsing them gives the same AST back. */
import { tokens } from '../grammar/index.js';

const bareUpperCase = /^[A-Z_][A-Z0-9_@]*$/;
const bareAnyCase = /^[A-Za-z_][A-Za-z0-9_@]*$/;

/**
 * Non-reserved keywords that stay quoted as names because, bare, they would be read as the
 * keyword somewhere: `MAP(...)` is the map constructor, `EMIT CHANGES` and `ORDER BY` end a FROM clause,
 * `DESCRIBE TABLES` lists tables, and the others start statements or clauses.
 */
const ambiguousNonReserved = new Set([
  'ARRAY',
  'MAP',
  'STRUCT',
  'EMIT',
  'PARTITION',
  'TABLES',
  'FUNCTION',
  'IF',
  'COLUMN',
  'SHOW',
  'SET',
  'ALTER',
  'DEFINE',
  'UNDEFINE',
  'EXPLAIN',
  'ASSERT',
  'PAUSE',
  'RESUME',
  'ORDER',
]);

function isKeyword(word: string): boolean {
  const upper = word.toUpperCase();
  return tokens.isReservedWord(upper) || ambiguousNonReserved.has(upper);
}

/** A normalised identifier: bare when reading it back upper-cases to itself, else back-quoted. */
export function formatIdentifier(name: string): string {
  if (/^\$\{[A-Za-z_][A-Za-z0-9_@]*\}$/.test(name)) return name;
  if (bareUpperCase.test(name) && !isKeyword(name)) return name;
  return backQuote(name);
}

/** A name kept as written (query ids, variable and function names of DESCRIBE FUNCTION). */
export function formatCaseKeptName(name: string): string {
  if (bareAnyCase.test(name) && !isKeyword(name)) return name;
  return backQuote(name);
}

export function backQuote(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function formatString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A property name: bare if it reads back the same, else as a string (which keeps its case). */
export function formatPropertyName(name: string): string {
  if (bareUpperCase.test(name) && !isKeyword(name)) return name;
  return formatString(name);
}
