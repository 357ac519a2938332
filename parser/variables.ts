/**
 * `${name}` substitution, applied to a statement's text before it is parsed, with ksqlDB's
 * rules:
 * - a `${name}` token is replaced by the variable's value when it is defined, and left as it is
 *   otherwise (the parser then keeps it as a variable reference);
 * - the value must read as one identifier (`orders`, `` `My Stream` ``) or one literal (a quoted
 *   string, a number, TRUE/FALSE), so a variable cannot inject SQL;
 * - inside string literals and quoted names, `${name}` is replaced too; in a string literal
 *   the value's single quotes are doubled so the string stays one string;
 * - variable names are case-sensitive; comments are left alone.
 */
import { tokenize } from '../grammar/index.js';
import { ParseError } from './errors.js';
import { LineIndex } from './line-index.js';
import { messages } from './messages.js';

const variableInText = /\$\{([A-Za-z_][A-Za-z0-9_@]*)\}/g;
const identifierValue = /^(?:[A-Za-z_][A-Za-z0-9_@]*|`(?:[^`]|``)*`|"(?:[^"]|"")*")$/;
const literalValue = /^(?:'(?:[^']|'')*'|[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|true|false)$/i;

/** Replaces the variables of `text` from `variables`; see the module comment for the rules. */
export function substituteVariables(
  text: string,
  variables: ReadonlyMap<string, string> | Record<string, string>,
): string {
  const lookup = variables instanceof Map ? variables : new Map(Object.entries(variables));
  if (lookup.size === 0 || !text.includes('${')) return text;
  const { tokens } = tokenize(text);
  const lines = new LineIndex(text);
  let result = '';
  let copied = 0;
  for (const token of tokens) {
    const kind = token.tokenType.name;
    let replacement: string | undefined;
    if (kind === 'Variable') {
      const value = lookup.get(token.image.slice(2, -1));
      if (value === undefined) continue;
      if (!identifierValue.test(value) && !literalValue.test(value)) {
        const location = lines.locationOf(token.startOffset);
        throw new ParseError({
          message: messages.illegalVariableValue(location.line, location.column),
          location,
          statementText: text,
          offendingToken: token.image,
        });
      }
      replacement = value;
    } else if (kind === 'StringLiteral' || kind === 'QuotedIdentifier' || kind === 'BackQuotedIdentifier') {
      if (!token.image.includes('${')) continue;
      const quote = token.image[0]!;
      replacement = token.image.replace(variableInText, (whole, name: string) => {
        const value = lookup.get(name);
        return value === undefined ? whole : value.split(quote).join(quote + quote);
      });
    } else {
      continue;
    }
    result += text.slice(copied, token.startOffset) + replacement;
    copied = (token.endOffset ?? token.startOffset) + 1;
  }
  return result + text.slice(copied);
}
