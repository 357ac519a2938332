/**
 * CST -> AST for expressions and types.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { ArithmeticOperator, ComparisonOperator, Expression, Literal, WhenClause } from './ast.js';
import {
  type BuildContext,
  childNode,
  childNodes,
  childToken,
  childTokens,
  has,
  identifierText,
  nameOf,
  numberLiteral,
  onlyChild,
  requiredNode,
  stringValue,
  timeUnitOf,
} from './build-context.js';
import { buildType } from './build-types.js';
import { messages } from './messages.js';

const freeze = Object.freeze;

/** A parenthesised list of other than one element, while it is still a candidate tuple. */
interface Tuple {
  readonly kind: 'Tuple';
  readonly elements: readonly CstNode[];
  readonly node: CstNode;
}

export function buildExpression(ctx: BuildContext, node: CstNode): Expression {
  return buildOr(ctx, node);
}

/** `AND` binds tighter than `OR`; both are left-associative. */
function buildOr(ctx: BuildContext, node: CstNode): Expression {
  const operands = childNodes(node, 'operands').map((n) => buildNot(ctx, n));
  return applyPrecedence(
    operands,
    childTokens(node, 'operators'),
    logicalPrecedence,
    (operator, left, right) =>
      freeze({ kind: 'Logical', operator: operator as 'AND' | 'OR', left, right, location: left.location! }),
  );
}

function logicalPrecedence(operator: string): number {
  return operator.toUpperCase() === 'AND' ? 2 : 1;
}

/**
 * Folds `e0 op1 e1 op2 e2 ...` into a tree by operator precedence, left-associative at equal
 * precedence (the grammar keeps these lists flat; see grammar/parser.ts).
 */
function applyPrecedence(
  operands: Expression[],
  operators: readonly IToken[],
  precedence: (operator: string) => number,
  combine: (operator: string, left: Expression, right: Expression) => Expression,
): Expression {
  const values: Expression[] = [operands[0]!];
  const pending: string[] = [];
  const reduce = () => {
    const right = values.pop()!;
    const left = values.pop()!;
    values.push(combine(pending.pop()!, left, right));
  };
  for (let i = 1; i < operands.length; i++) {
    const operator = operators[i - 1]!.image;
    while (pending.length > 0 && precedence(pending[pending.length - 1]!) >= precedence(operator)) reduce();
    pending.push(operator);
    values.push(operands[i]!);
  }
  while (pending.length > 0) reduce();
  return values[0]!;
}

function buildNot(ctx: BuildContext, node: CstNode): Expression {
  const inner = childNode(node, 'notExpression');
  if (inner !== undefined) {
    return freeze({ kind: 'Not', operand: buildNot(ctx, inner), location: ctx.locationOfNode(node) });
  }
  return buildPredicated(ctx, requiredNode(node, 'predicated'));
}

const comparisonOperators: Readonly<Record<string, ComparisonOperator>> = {
  Equals: '=',
  NotEquals: '<>',
  LessThan: '<',
  LessOrEqual: '<=',
  GreaterThan: '>',
  GreaterOrEqual: '>=',
};

function buildPredicated(ctx: BuildContext, node: CstNode): Expression {
  const value = buildValue(ctx, requiredNode(node, 'value'));
  const predicate = childNode(node, 'predicate');
  if (predicate === undefined) return value;
  const location = value.location!;
  const comparison = childNode(predicate, 'comparisonOperator');
  if (comparison !== undefined) {
    const operatorToken = Object.values(comparison.children)[0]![0] as IToken;
    return freeze({
      kind: 'Comparison',
      operator: comparisonOperators[operatorToken.tokenType.name]!,
      left: value,
      right: buildValue(ctx, requiredNode(predicate, 'right')),
      location,
    });
  }
  if (has(predicate, 'IS')) {
    const negated = has(predicate, 'NOT');
    if (has(predicate, 'NULL')) return freeze({ kind: 'IsNull', value, negated, location });
    return freeze({
      kind: 'Comparison',
      operator: negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM',
      left: value,
      right: buildValue(ctx, requiredNode(predicate, 'right')),
      location,
    });
  }
  const negated = has(predicate, 'NOT');
  if (has(predicate, 'BETWEEN')) {
    return freeze({
      kind: 'Between',
      value,
      lower: buildValue(ctx, requiredNode(predicate, 'lower')),
      upper: buildValue(ctx, requiredNode(predicate, 'upper')),
      negated,
      location,
    });
  }
  if (has(predicate, 'IN')) {
    const list = freeze(childNodes(predicate, 'inList').map((n) => buildExpression(ctx, n)));
    return freeze({ kind: 'InList', value, list, negated, location });
  }
  const escapeToken = childToken(predicate, 'escape');
  let escapeChar: string | undefined;
  if (escapeToken !== undefined) {
    escapeChar = stringValue(escapeToken);
    if (escapeChar.length !== 1) {
      throw ctx.astError(
        ctx.locationOfToken(escapeToken),
        messages.singleCharacterEscape(escapeChar),
        escapeToken,
      );
    }
  }
  return freeze({
    kind: 'Like',
    value,
    pattern: buildValue(ctx, requiredNode(predicate, 'pattern')),
    ...(escapeChar === undefined ? {} : { escape: escapeChar }),
    negated,
    location,
  });
}

/**
 * valueExpression: `||` loosest, then `+ -`, then `* / %`. `a || b` is `CONCAT(a, b)`, as
 * ksqlDB builds it.
 */
export function buildValue(ctx: BuildContext, node: CstNode): Expression {
  const operandNodes = childNodes(node, 'operands');
  if (operandNodes.length === 1) return buildUnary(ctx, operandNodes[0]!);
  const operands = operandNodes.map((n) => buildUnary(ctx, n));
  return applyPrecedence(
    operands,
    childTokens(node, 'operators'),
    valuePrecedence,
    (operator, left, right) =>
      operator === '||'
        ? freeze({
            kind: 'FunctionCall',
            name: 'CONCAT',
            args: freeze([left, right]),
            star: false,
            distinct: false,
            location: left.location!,
          })
        : freeze({
            kind: 'ArithmeticBinary',
            operator: operator as ArithmeticOperator,
            left,
            right,
            location: left.location!,
          }),
  );
}

function valuePrecedence(operator: string): number {
  return operator === '||' ? 1 : operator === '+' || operator === '-' ? 2 : 3;
}

function buildUnary(ctx: BuildContext, node: CstNode): Expression {
  const inner = childNode(node, 'unaryExpression');
  if (inner !== undefined) {
    const sign = childToken(node, 'sign')!;
    return freeze({
      kind: 'ArithmeticUnary',
      operator: sign.image as '-' | '+',
      operand: buildUnary(ctx, inner),
      location: ctx.locationOfToken(sign),
    });
  }
  return buildPostfix(ctx, node);
}

export function buildNumber(ctx: BuildContext, node: CstNode): Literal {
  const sign = childToken(node, 'sign');
  const digits =
    childToken(node, 'IntegerLiteral') ??
    childToken(node, 'DecimalLiteral') ??
    childToken(node, 'FloatingPointLiteral')!;
  return numberLiteral(ctx, sign, digits, ctx.locationOfNode(node));
}

type PostfixOperation =
  | { readonly offset: number; readonly index: CstNode }
  | { readonly offset: number; readonly field: IToken };

/** A primary expression with the `[i]` and `->field` written after it (in a unaryExpression). */
export function buildPostfix(ctx: BuildContext, node: CstNode): Expression {
  const primary = requiredNode(node, 'primaryExpression');
  const subscripts = childTokens(node, 'subscript');
  const arrows = childTokens(node, 'dereference');
  if (subscripts.length === 0 && arrows.length === 0) return buildPrimary(ctx, primary);

  // Children are grouped by name, so the order of mixed `[i]` and `->f` comes from offsets.
  const indexes = childNodes(node, 'index');
  const fields: IToken[] = [...childTokens(node, 'field'), ...childTokens(node, 'allFields')];
  fields.sort((a, b) => offsetOf(a) - offsetOf(b));
  const operations: PostfixOperation[] = [
    ...subscripts.map((token, i) => ({ offset: token.startOffset, index: indexes[i]! })),
    ...arrows.map((token, i) => ({ offset: token.startOffset, field: fields[i]! })),
  ];
  operations.sort((a, b) => a.offset - b.offset);

  let result = buildPrimary(ctx, primary);
  for (const operation of operations) {
    const location = result.location!;
    if ('index' in operation) {
      result = freeze({ kind: 'Subscript', base: result, index: buildValue(ctx, operation.index), location });
    } else if (operation.field.tokenType.name === 'Asterisk') {
      throw ctx.astError(
        ctx.locationOfToken(operation.field),
        messages.structFieldWildcard(),
        operation.field,
      );
    } else {
      result = freeze({
        kind: 'Dereference',
        base: result,
        field: identifierText(operation.field),
        location,
      });
    }
  }
  return result;
}

function offsetOf(element: CstNode | IToken): number {
  return 'image' in element ? element.startOffset : (element.location?.startOffset ?? 0);
}

function buildPrimary(ctx: BuildContext, node: CstNode): Expression {
  const result = buildPrimaryOrTuple(ctx, node);
  if (result.kind === 'Tuple') throw misplacedTuple(ctx, result);
  return result;
}

/** ksqlDB's error for a parenthesised list where one expression is expected. */
export function misplacedTuple(ctx: BuildContext, tuple: Tuple) {
  const comma = childToken(tuple.node, 'Comma');
  if (comma !== undefined) return ctx.syntaxError(comma, messages.missingToken("')'", ','), ["')'"]);
  const close = childToken(tuple.node, 'RParen')!;
  const location = ctx.locationOfToken(close);
  return ctx.syntaxError(close, messages.syntaxErrorNear(')', location.line, location.column));
}

function buildPrimaryOrTuple(ctx: BuildContext, node: CstNode): Expression | Tuple {
  const child = onlyChild(node);
  const location = ctx.locationOfNode(child);
  switch (child.name) {
    case 'literal':
      return buildLiteral(ctx, child);
    case 'identifierExpression':
      return buildIdentifierExpression(ctx, child);
    case 'parenthesizedList': {
      const elements = childNodes(child, 'expression');
      if (elements.length === 1) return buildExpression(ctx, elements[0]!);
      return { kind: 'Tuple', elements, node: child };
    }
    case 'caseExpression': {
      const whens: WhenClause[] = childNodes(child, 'whenClause').map((w) =>
        freeze({
          condition: buildExpression(ctx, requiredNode(w, 'condition')),
          result: buildExpression(ctx, requiredNode(w, 'result')),
        }),
      );
      const elseNode = childNode(child, 'elseResult');
      const elseResult = elseNode === undefined ? {} : { else: buildExpression(ctx, elseNode) };
      const operandNode = childNode(child, 'operand');
      if (operandNode === undefined) {
        return freeze({ kind: 'SearchedCase', whens: freeze(whens), ...elseResult, location });
      }
      return freeze({
        kind: 'SimpleCase',
        operand: buildValue(ctx, operandNode),
        whens: freeze(whens),
        ...elseResult,
        location,
      });
    }
    case 'castExpression':
      return freeze({
        kind: 'Cast',
        operand: buildExpression(ctx, requiredNode(child, 'expression')),
        type: buildType(ctx, requiredNode(child, 'type')),
        location,
      });
    case 'arrayConstructor':
      return freeze({
        kind: 'CreateArray',
        elements: freeze(childNodes(child, 'expression').map((n) => buildExpression(ctx, n))),
        location,
      });
    case 'mapConstructor':
      return freeze({
        kind: 'CreateMap',
        entries: freeze(
          childNodes(child, 'mapEntry').map((entry) =>
            freeze({
              key: buildExpression(ctx, requiredNode(entry, 'key')),
              value: buildExpression(ctx, requiredNode(entry, 'value')),
            }),
          ),
        ),
        location,
      });
    case 'structConstructor':
      return freeze({
        kind: 'CreateStruct',
        fields: freeze(
          childNodes(child, 'structField').map((field) =>
            freeze({
              name: nameOf(field),
              value: buildExpression(ctx, requiredNode(field, 'expression')),
            }),
          ),
        ),
        location,
      });
    default:
      throw new Error(`Unexpected primary expression '${child.name}'`);
  }
}

export function buildLiteral(ctx: BuildContext, node: CstNode): Literal {
  const location = ctx.locationOfNode(node);
  const numberNode = childNode(node, 'number');
  if (numberNode !== undefined) return buildNumber(ctx, numberNode);
  const stringToken = childToken(node, 'StringLiteral');
  if (stringToken !== undefined)
    return freeze({ kind: 'StringLiteral', value: stringValue(stringToken), location });
  const variable = childToken(node, 'Variable');
  if (variable !== undefined)
    return freeze({ kind: 'VariableReference', name: variable.image.slice(2, -1), location });
  if (has(node, 'TRUE')) return freeze({ kind: 'BooleanLiteral', value: true, location });
  if (has(node, 'FALSE')) return freeze({ kind: 'BooleanLiteral', value: false, location });
  return freeze({ kind: 'NullLiteral', location });
}

function buildIdentifierExpression(ctx: BuildContext, node: CstNode): Expression {
  const name = nameOf(node, 'name');
  const location = ctx.locationOfNode(node);
  if (has(node, 'call')) {
    const args = childNodes(node, 'functionArgument').map((arg) => buildFunctionArgument(ctx, arg));
    return freeze({
      kind: 'FunctionCall',
      name,
      args: freeze(args),
      star: has(node, 'star'),
      distinct: has(node, 'DISTINCT'),
      location,
    });
  }
  const qualified = childToken(node, 'qualified');
  if (qualified !== undefined) {
    return freeze({ kind: 'ColumnRef', source: name, name: identifierText(qualified), location });
  }
  const typed = childToken(node, 'typedLiteral');
  if (typed !== undefined) return buildTypedLiteral(ctx, name, typed, location);
  if (ctx.isLambdaParameter(name)) return freeze({ kind: 'LambdaVariable', name, location });
  return freeze({ kind: 'ColumnRef', name, location });
}

/** `DECIMAL '1.50'`: the only typed literal ksqlDB has. */
function buildTypedLiteral(
  ctx: BuildContext,
  type: string,
  token: IToken,
  location: ReturnType<BuildContext['locationOfToken']>,
): Expression {
  if (type !== 'DECIMAL') throw ctx.plainError(location, messages.unknownTypedLiteral(type));
  const text = stringValue(token).trim();
  if (!/^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/.test(text))
    throw ctx.plainError(location, messages.decimalTypedLiteral(text));
  const sign = text.startsWith('-') ? '-' : '';
  const digits = text.replace(/^-/, '');
  const literalText = digits.includes('.') ? text : `${sign}${digits}`;
  const scale = digits.includes('.') ? digits.length - digits.indexOf('.') - 1 : 0;
  const precision = Math.max(1, digits.replace('.', '').replace(/^0+/, '').length);
  return freeze({ kind: 'DecimalLiteral', value: literalText, precision, scale, location });
}

function buildFunctionArgument(ctx: BuildContext, node: CstNode): Expression {
  const unit = childToken(node, 'TimeUnit');
  if (unit !== undefined) {
    return freeze({
      kind: 'IntervalUnit',
      unit: timeUnitOf(unit.image)!,
      location: ctx.locationOfToken(unit),
    });
  }
  const expressionNode = requiredNode(node, 'expression');
  const bodyNode = childNode(node, 'lambdaBody');
  if (bodyNode === undefined) return buildExpression(ctx, expressionNode);

  const params = lambdaParameters(ctx, expressionNode);
  ctx.lambdaScopes.push(new Set(params));
  try {
    const body = buildExpression(ctx, bodyNode);
    return freeze({
      kind: 'Lambda',
      params: freeze(params),
      body,
      location: ctx.locationOfNode(expressionNode),
    });
  } finally {
    ctx.lambdaScopes.pop();
  }
}

/** `x` or `(x, y)` before `=>`: bare identifiers only. */
function lambdaParameters(ctx: BuildContext, node: CstNode): string[] {
  const tuple = tupleOf(node);
  const single = tuple === undefined ? parenthesizedElements(node) : undefined;
  const elements = tuple?.elements ?? single ?? [node];
  return elements.map((element) => {
    const identifier = bareIdentifierOf(element);
    if (identifier === undefined)
      throw ctx.astError(ctx.locationOfNode(element), messages.lambdaParameters());
    return identifierText(identifier);
  });
}

/** Follows a chain of single operands from `expression` down to its primary, if there is one. */
function primaryOf(node: CstNode): CstNode | undefined {
  let current: CstNode | undefined = node;
  const path = [
    ['expression', 'operands'],
    ['notExpression', 'predicated'],
    ['predicated', 'value'],
    ['valueExpression', 'operands'],
    ['unaryExpression', 'primaryExpression'],
  ] as const;
  for (const [name, key] of path) {
    if (current === undefined) return undefined;
    if (current.name !== name) continue;
    const children = childNodes(current, key);
    if (children.length !== 1) return undefined;
    if (name === 'predicated' && has(current, 'predicate')) return undefined;
    if (name === 'unaryExpression' && (has(current, 'subscript') || has(current, 'dereference')))
      return undefined;
    current = children[0];
  }
  return current?.name === 'primaryExpression' ? current : undefined;
}

/** The one element of `(x)`, if `node` is exactly that. */
function parenthesizedElements(node: CstNode): CstNode[] | undefined {
  const primary = primaryOf(node);
  const list = primary === undefined ? undefined : childNode(primary, 'parenthesizedList');
  return list === undefined ? undefined : childNodes(list, 'expression');
}

/** The elements of a parenthesised list of 0 or 2+ expressions, if `node` is exactly that. */
export function tupleOf(node: CstNode): Tuple | undefined {
  const primary = primaryOf(node);
  const list = primary === undefined ? undefined : childNode(primary, 'parenthesizedList');
  if (list === undefined) return undefined;
  const elements = childNodes(list, 'expression');
  return elements.length === 1 ? undefined : { kind: 'Tuple', elements, node: list };
}

function bareIdentifierOf(node: CstNode): IToken | undefined {
  const primary = primaryOf(node);
  const identifierExpression = primary === undefined ? undefined : childNode(primary, 'identifierExpression');
  if (identifierExpression === undefined) return undefined;
  if (Object.keys(identifierExpression.children).length !== 1) return undefined;
  return childToken(identifierExpression, 'name');
}
