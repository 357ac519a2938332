/**
 * Canonical text of a ksqlDB logical schema ("ID INT KEY, `v` STRUCT<a VARCHAR>"), so two
 * spellings of the same schema compare equal: unquoted identifiers and type names upper-cased,
 * backticks dropped (quoted names keep their case), INT = INTEGER, VARCHAR = STRING, spacing
 * normalised. Column order, names, types and KEY/HEADERS markers all still count.
 */
export function canonicalSchema(schema: string): string {
  const columns = splitTopLevel(tokenize(schema));
  return columns.map((c) => canonicalColumn(dropPrimary(c))).join(', ');
}

/**
 * Upstream parses expected schemas into a LogicalSchema, where `PRIMARY KEY` and `KEY` both
 * just mark a key column; its files use either for tables.
 */
function dropPrimary(tokens: readonly Token[]): Token[] {
  return tokens.filter(
    (t, i) =>
      !(
        t.kind === 'word' &&
        t.text === 'PRIMARY' &&
        tokens[i + 1]?.kind === 'word' &&
        tokens[i + 1]?.text === 'KEY'
      ),
  );
}

type Token = { kind: 'word' | 'quoted' | 'string' | 'number' | 'symbol'; text: string };

const typeAliases: Readonly<Record<string, string>> = { INT: 'INTEGER', VARCHAR: 'STRING' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '`' || ch === "'") {
      let value = '';
      i++;
      while (i < text.length) {
        if (text[i] === ch && text[i + 1] === ch) {
          value += ch;
          i += 2;
        } else if (text[i] === ch) {
          i++;
          break;
        } else {
          value += text[i];
          i++;
        }
      }
      tokens.push({ kind: ch === '`' ? 'quoted' : 'string', text: value });
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i))?.[0] ?? ch;
      tokens.push({ kind: 'word', text: word.toUpperCase() });
      i += word.length;
    } else if (/[0-9-]/.test(ch)) {
      const number = /^-?[0-9]+/.exec(text.slice(i))?.[0] ?? ch;
      tokens.push({ kind: 'number', text: number });
      i += number.length;
    } else {
      tokens.push({ kind: 'symbol', text: ch });
      i++;
    }
  }
  return tokens;
}

function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const columns: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'symbol' && (token.text === '<' || token.text === '(')) depth++;
    if (token.kind === 'symbol' && (token.text === '>' || token.text === ')')) depth--;
    if (token.kind === 'symbol' && token.text === ',' && depth === 0) columns.push([]);
    else columns[columns.length - 1]?.push(token);
  }
  return columns.filter((column) => column.length > 0);
}

function canonicalColumn(tokens: readonly Token[]): string {
  const [name, ...rest] = tokens;
  if (!name) return '';
  let depth = 0;
  const text = rest.map((token, i) => {
    if (token.kind === 'symbol' && (token.text === '<' || token.text === '(')) depth++;
    if (token.kind === 'symbol' && (token.text === '>' || token.text === ')')) depth--;
    if (token.kind === 'string') return `'${token.text}'`;
    const next = rest[i + 1];
    // Inside STRUCT<...> a word followed by a type is a field name, never a type alias.
    const isFieldName = depth > 0 && (next?.kind === 'word' || next?.kind === 'quoted');
    if (token.kind === 'word' && !isFieldName) return typeAliases[token.text] ?? token.text;
    return token.text;
  });
  return `${name.text} ${text.join(' ')}`.replace(/ ?([<>(),]) ?/g, '$1').replace(/,/g, ', ');
}
