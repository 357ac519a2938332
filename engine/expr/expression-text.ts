/**
 * ksqlDB's text of an expression, as its error messages print it: every binary operation and
 * predicate in parentheses (`(A + 1)`, `(X IS NULL)`), booleans and NULL in lower case,
 * names unquoted, map and struct entries as `k:=v`. This is not SQL to parse back (use
 * parser/format-expression for that); it is what users see in ksqlDB's messages.
 */
import type { SqlType as AstType, Expression } from '../../parser/ast.js';
import { assertNever } from '../../parser/visitor.js';

export function expressionText(e: Expression): string {
  switch (e.kind) {
    case 'NullLiteral':
      return 'null';
    case 'BooleanLiteral':
      return e.value ? 'true' : 'false';
    case 'StringLiteral':
      return `'${e.value.replaceAll("'", "''")}'`;
    case 'IntegerLiteral':
      return String(e.value);
    case 'BigIntLiteral':
      return e.value.toString();
    case 'DecimalLiteral':
      return e.value;
    case 'DoubleLiteral':
      return scientificText(e.value);
    case 'VariableReference':
      return `\${${e.name}}`;
    case 'ColumnRef':
      return e.source === undefined ? e.name : `${e.source}.${e.name}`;
    case 'LambdaVariable':
      return e.name;
    case 'Dereference':
      return `${expressionText(e.base)}->${e.field}`;
    case 'Subscript':
      return `${expressionText(e.base)}[${expressionText(e.index)}]`;
    case 'IntervalUnit':
      return e.unit;
    case 'FunctionCall':
      return `${e.name}(${e.star ? '*' : e.args.map(expressionText).join(', ')})`;
    case 'Lambda':
      return `(${e.params.join(', ')}) => ${expressionText(e.body)}`;
    case 'ArithmeticUnary': {
      const operand = expressionText(e.operand);
      return e.operator === '-' && operand.startsWith('-') ? `- ${operand}` : `${e.operator}${operand}`;
    }
    case 'ArithmeticBinary':
    case 'Comparison':
      return `(${expressionText(e.left)} ${e.operator} ${expressionText(e.right)})`;
    case 'Logical':
      return `(${expressionText(e.left)} ${e.operator} ${expressionText(e.right)})`;
    case 'Not':
      return `(NOT ${expressionText(e.operand)})`;
    case 'IsNull':
      return `(${expressionText(e.value)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'Between':
      return negate(
        e.negated,
        `(${expressionText(e.value)} BETWEEN ${expressionText(e.lower)} AND ${expressionText(e.upper)})`,
      );
    case 'InList':
      return negate(e.negated, `(${expressionText(e.value)} IN (${e.list.map(expressionText).join(', ')}))`);
    case 'Like': {
      const escapeText = e.escape === undefined ? '' : ` ESCAPE '${e.escape}'`;
      return negate(e.negated, `(${expressionText(e.value)} LIKE ${expressionText(e.pattern)}${escapeText})`);
    }
    case 'SearchedCase':
    case 'SimpleCase': {
      const parts = ['CASE'];
      if (e.kind === 'SimpleCase') parts.push(expressionText(e.operand));
      for (const when of e.whens) parts.push(whenText(when.condition, when.result));
      if (e.else !== undefined) parts.push('ELSE', expressionText(e.else));
      parts.push('END');
      return `(${parts.join(' ')})`;
    }
    case 'Cast':
      return `CAST(${expressionText(e.operand)} AS ${astTypeText(e.type)})`;
    case 'CreateArray':
      return `ARRAY[${e.elements.map(expressionText).join(', ')}]`;
    case 'CreateMap':
      return `MAP(${e.entries.map((x) => `${expressionText(x.key)}:=${expressionText(x.value)}`).join(', ')})`;
    case 'CreateStruct':
      return `STRUCT(${e.fields.map((f) => `${f.name}:=${expressionText(f.value)}`).join(', ')})`;
    default:
      return assertNever(e);
  }
}

/** `WHEN c THEN r`, as ksqlDB prints a CASE branch in its messages. */
export function whenText(condition: Expression, result: Expression): string {
  return `WHEN ${expressionText(condition)} THEN ${expressionText(result)}`;
}

/** ksqlDB parses `x NOT IN (...)`, `NOT BETWEEN` and `NOT LIKE` as NOT around the predicate. */
function negate(negated: boolean, text: string): string {
  return negated ? `(NOT ${text})` : text;
}

/** A DOUBLE literal in scientific notation with every significant digit: `1.5E0`, `1.23E10`. */
function scientificText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa}E${Number(exponent)}`;
}

function astTypeText(type: AstType): string {
  switch (type.kind) {
    case 'PrimitiveType':
      return type.name;
    case 'DecimalType':
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'ArrayType':
      return `ARRAY<${astTypeText(type.element)}>`;
    case 'MapType':
      return `MAP<${astTypeText(type.key)}, ${astTypeText(type.value)}>`;
    case 'StructType':
      return `STRUCT<${type.fields.map((f) => `${f.name} ${astTypeText(f.type)}`).join(', ')}>`;
    case 'CustomType':
      return type.name;
    default:
      return assertNever(type);
  }
}
