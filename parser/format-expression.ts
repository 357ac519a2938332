/**
 * Expressions and types -> canonical SQL. Parentheses are added exactly where precedence needs
 * them, so `parse(format(e))` gives `e` back.
 */
import type { Duration, Expression, SqlType } from './ast.js';
import { formatCaseKeptName, formatIdentifier, formatString } from './format-names.js';
import { assertNever } from './visitor.js';

/** Binding strength, loosest first; a child weaker than its slot needs parentheses. */
enum Level {
  Or = 1,
  And = 2,
  Not = 3,
  Predicate = 4,
  Concat = 5,
  Additive = 6,
  Multiplicative = 7,
  Unary = 8,
  Postfix = 9,
  Primary = 10,
}

function levelOf(e: Expression): Level {
  switch (e.kind) {
    case 'Logical':
      return e.operator === 'OR' ? Level.Or : Level.And;
    case 'Not':
      return Level.Not;
    case 'Comparison':
    case 'Between':
    case 'InList':
    case 'Like':
    case 'IsNull':
      return Level.Predicate;
    case 'ArithmeticBinary':
      return e.operator === '+' || e.operator === '-' ? Level.Additive : Level.Multiplicative;
    case 'ArithmeticUnary':
      return Level.Unary;
    case 'IntegerLiteral':
    case 'BigIntLiteral':
      return e.value < 0 ? Level.Unary : Level.Primary;
    case 'DecimalLiteral':
    case 'DoubleLiteral':
      return (e.kind === 'DecimalLiteral' ? e.value : e.text).startsWith('-') ? Level.Unary : Level.Primary;
    case 'Subscript':
    case 'Dereference':
      return Level.Postfix;
    case 'Lambda':
      return Level.Or;
    default:
      return Level.Primary;
  }
}

/** Formats `e` for a slot that needs at least `min` binding strength. */
function at(e: Expression, min: Level): string {
  const text = formatExpression(e);
  return levelOf(e) < min ? `(${text})` : text;
}

export function formatExpression(e: Expression): string {
  switch (e.kind) {
    case 'NullLiteral':
      return 'NULL';
    case 'BooleanLiteral':
      return e.value ? 'TRUE' : 'FALSE';
    case 'StringLiteral':
      return formatString(e.value);
    case 'IntegerLiteral':
      return String(e.value);
    case 'BigIntLiteral':
      return e.value.toString();
    case 'DecimalLiteral':
      // A decimal written without a point came from a typed literal (`DECIMAL '5'`).
      return e.value.includes('.') ? e.value : `\`DECIMAL\` ${formatString(e.value)}`;
    case 'DoubleLiteral':
      return e.text;
    case 'VariableReference':
      return `\${${e.name}}`;
    case 'ColumnRef':
      return e.source === undefined
        ? formatIdentifier(e.name)
        : `${formatIdentifier(e.source)}.${formatIdentifier(e.name)}`;
    case 'LambdaVariable':
      return formatIdentifier(e.name);
    case 'Dereference':
      return `${at(e.base, Level.Postfix)}->${formatIdentifier(e.field)}`;
    case 'Subscript':
      return `${at(e.base, Level.Postfix)}[${at(e.index, Level.Concat)}]`;
    case 'IntervalUnit':
      return e.unit;
    case 'FunctionCall': {
      const args = e.star ? '*' : (e.distinct ? 'DISTINCT ' : '') + e.args.map(formatExpression).join(', ');
      return `${formatIdentifier(e.name)}(${args})`;
    }
    case 'Lambda': {
      const params = e.params.map(formatIdentifier);
      const head = params.length === 1 ? params[0]! : `(${params.join(', ')})`;
      return `${head} => ${formatExpression(e.body)}`;
    }
    case 'ArithmeticUnary': {
      const bare = levelOf(e.operand) >= Level.Postfix && !startsWithNumber(e.operand);
      return `${e.operator}${bare ? formatExpression(e.operand) : `(${formatExpression(e.operand)})`}`;
    }
    case 'ArithmeticBinary': {
      const level = levelOf(e);
      return `${at(e.left, level)} ${e.operator} ${at(e.right, level + 1)}`;
    }
    case 'Comparison':
      return `${at(e.left, Level.Concat)} ${e.operator} ${at(e.right, Level.Concat)}`;
    case 'Between':
      return `${at(e.value, Level.Concat)} ${e.negated ? 'NOT ' : ''}BETWEEN ${at(e.lower, Level.Concat)} AND ${at(e.upper, Level.Concat)}`;
    case 'InList':
      return `${at(e.value, Level.Concat)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(formatExpression).join(', ')})`;
    case 'Like': {
      const escapeClause = e.escape === undefined ? '' : ` ESCAPE ${formatString(e.escape)}`;
      return `${at(e.value, Level.Concat)} ${e.negated ? 'NOT ' : ''}LIKE ${at(e.pattern, Level.Concat)}${escapeClause}`;
    }
    case 'IsNull':
      return `${at(e.value, Level.Concat)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'Not':
      return `NOT ${at(e.operand, Level.Not)}`;
    case 'Logical': {
      const level = levelOf(e);
      return `${at(e.left, level)} ${e.operator} ${at(e.right, level + 1)}`;
    }
    case 'SearchedCase':
    case 'SimpleCase': {
      const operand = e.kind === 'SimpleCase' ? ` ${at(e.operand, Level.Concat)}` : '';
      const whens = e.whens.map(
        (w) => ` WHEN ${formatExpression(w.condition)} THEN ${formatExpression(w.result)}`,
      );
      const otherwise = e.else === undefined ? '' : ` ELSE ${formatExpression(e.else)}`;
      return `CASE${operand}${whens.join('')}${otherwise} END`;
    }
    case 'Cast':
      return `CAST(${formatExpression(e.operand)} AS ${formatType(e.type)})`;
    case 'CreateArray':
      return `ARRAY[${e.elements.map(formatExpression).join(', ')}]`;
    case 'CreateMap':
      return `MAP(${e.entries.map((x) => `${formatExpression(x.key)} := ${formatExpression(x.value)}`).join(', ')})`;
    case 'CreateStruct':
      return `STRUCT(${e.fields.map((f) => `${formatIdentifier(f.name)} := ${formatExpression(f.value)}`).join(', ')})`;
    default:
      return assertNever(e);
  }
}

/** A number right after a sign would become part of the literal, so it keeps parentheses. */
function startsWithNumber(e: Expression): boolean {
  switch (e.kind) {
    case 'IntegerLiteral':
    case 'BigIntLiteral':
    case 'DecimalLiteral':
    case 'DoubleLiteral':
      return true;
    case 'Subscript':
    case 'Dereference':
      return startsWithNumber(e.base);
    default:
      return false;
  }
}

/** For a slot of ksqlDB's `valueExpression` (GROUP BY items, INSERT values, subscripts). */
export function formatValueExpression(e: Expression): string {
  return at(e, Level.Concat);
}

export function formatType(type: SqlType): string {
  switch (type.kind) {
    case 'PrimitiveType':
      return type.name;
    case 'DecimalType':
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ArrayType':
      return `ARRAY<${formatType(type.element)}>`;
    case 'MapType':
      return `MAP<${formatType(type.key)}, ${formatType(type.value)}>`;
    case 'StructType':
      return `STRUCT<${type.fields.map((f) => `${formatIdentifier(f.name)} ${formatType(f.type)}`).join(', ')}>`;
    case 'CustomType':
      return builtInTypeNames.has(type.name.toUpperCase()) ? `\`${type.name}\`` : formatIdentifier(type.name);
    default:
      return assertNever(type);
  }
}

const builtInTypeNames = new Set([
  'BOOLEAN',
  'INT',
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'STRING',
  'VARCHAR',
  'BYTES',
  'DATE',
  'TIME',
  'TIMESTAMP',
  'DECIMAL',
  'ARRAY',
  'MAP',
  'STRUCT',
]);

export function formatDuration(d: Duration): string {
  return `${d.value} ${d.unit}`;
}

export { formatCaseKeptName };
