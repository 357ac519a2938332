/**
 * CST -> AST for SELECT: select items, relations and joins, windows, grouping.
 */
import type { CstNode, IToken } from 'chevrotain';
import type {
  AliasedRelation,
  Expression,
  JoinedSource,
  JoinType,
  OrderBy,
  Query,
  Relation,
  SelectItem,
  SortItem,
  WindowExpression,
  WithinExpression,
} from './ast.js';
import {
  type BuildContext,
  childNode,
  childNodes,
  childToken,
  childTokens,
  durationOf,
  has,
  identifierText,
  integerOf,
  nameOf,
  requiredNode,
} from './build-context.js';
import { buildExpression, buildPostfix, buildValue, misplacedTuple, tupleOf } from './build-expressions.js';

const freeze = Object.freeze;

export function buildQuery(ctx: BuildContext, node: CstNode): Query {
  const location = ctx.locationOfNode(node);
  const select = childNodes(node, 'selectItem').map((item) => buildSelectItem(ctx, item));
  const windowNode = childNode(node, 'windowExpression');
  const where = childNode(node, 'where');
  const groupBy = childNode(node, 'groupBy');
  const partitionBy = childNode(node, 'partitionBy');
  const having = childNode(node, 'having');
  const limit = childNode(node, 'limitClause');
  const order = childToken(node, 'ORDER');
  const emit = has(node, 'EMIT') ? (has(node, 'FINAL') ? 'FINAL' : 'CHANGES') : undefined;
  return freeze({
    kind: 'Query',
    select: freeze(select),
    from: buildRelation(ctx, requiredNode(node, 'relation')),
    ...(windowNode === undefined ? {} : { window: buildWindow(ctx, windowNode) }),
    ...(where === undefined ? {} : { where: buildExpression(ctx, where) }),
    ...(groupBy === undefined ? {} : { groupBy: buildGroupingList(ctx, groupBy) }),
    ...(partitionBy === undefined ? {} : { partitionBy: buildGroupingList(ctx, partitionBy) }),
    ...(having === undefined ? {} : { having: buildExpression(ctx, having) }),
    ...(order === undefined ? {} : { orderBy: buildOrderBy(ctx, node, order) }),
    ...(emit === undefined ? {} : { emit }),
    ...(limit === undefined ? {} : { limit: integerOf(ctx, requiredNode(limit, 'number'), 'LIMIT') }),
    location,
  });
}

function buildOrderBy(ctx: BuildContext, node: CstNode, order: IToken): OrderBy {
  const by = childToken(node, 'orderByBy');
  return freeze({
    kind: 'OrderBy',
    items: freeze(childNodes(node, 'sortItem').map((item) => buildSortItem(ctx, item))),
    location: ctx.locationOfToken(order),
    ...(by === undefined ? {} : { byLocation: ctx.locationOfToken(by) }),
  });
}

function buildSortItem(ctx: BuildContext, node: CstNode): SortItem {
  const ordering = childToken(node, 'ordering');
  const nulls = childToken(node, 'nullOrdering');
  return freeze({
    kind: 'SortItem',
    expression: buildExpression(ctx, requiredNode(node, 'expression')),
    ...(ordering === undefined ? {} : { ordering: ordering.image.toUpperCase() as 'ASC' | 'DESC' }),
    ...(nulls === undefined ? {} : { nulls: nulls.image.toUpperCase() as 'FIRST' | 'LAST' }),
    location: ctx.locationOfNode(node),
  });
}

/** GROUP BY / PARTITION BY: `a, b`, or the same list in parentheses, or `()`. */
function buildGroupingList(ctx: BuildContext, node: CstNode): readonly Expression[] {
  const items = childNodes(node, 'valueExpression');
  if (items.length === 1) {
    const tuple = tupleOf(items[0]!);
    if (tuple !== undefined) return freeze(tuple.elements.map((e) => buildExpression(ctx, e)));
  }
  return freeze(
    items.map((item) => {
      const tuple = tupleOf(item);
      if (tuple !== undefined) throw misplacedTuple(ctx, tuple);
      return buildValue(ctx, item);
    }),
  );
}

function buildSelectItem(ctx: BuildContext, node: CstNode): SelectItem {
  const location = ctx.locationOfNode(node);
  const allOf = childToken(node, 'allColumnsOf');
  if (allOf !== undefined) return freeze({ kind: 'AllColumns', source: identifierText(allOf), location });
  const expressionNode = childNode(node, 'expression');
  if (expressionNode === undefined) return freeze({ kind: 'AllColumns', location });
  const structBase = structWildcardBase(ctx, expressionNode);
  if (structBase !== undefined) return freeze({ kind: 'AllStructFields', base: structBase, location });
  const alias = childToken(node, 'alias');
  return freeze({
    kind: 'SingleColumn',
    expression: buildExpression(ctx, expressionNode),
    ...(alias === undefined ? {} : { alias: identifierText(alias) }),
    location,
  });
}

/** For `expr->*`, the AST of `expr`; undefined for any other select item. */
function structWildcardBase(ctx: BuildContext, node: CstNode): Expression | undefined {
  let current: CstNode = node;
  for (const key of ['operands', 'predicated', 'value', 'operands'] as const) {
    const children = childNodes(current, key);
    if (children.length !== 1) return undefined;
    if (current.name === 'predicated' && has(current, 'predicate')) return undefined;
    current = children[0]!;
  }
  const wildcards = childTokens(current, 'allFields');
  if (wildcards.length !== 1) return undefined;
  const arrows = childTokens(current, 'dereference');
  const last = wildcards[0]!;
  const later = [...arrows, ...childTokens(current, 'subscript')].filter(
    (t) => t.startOffset > last.startOffset,
  );
  if (later.length > 0) return undefined;
  // The same postfix chain without its final `->*`.
  const lastArrow = arrows.reduce((a, b) => (a.startOffset > b.startOffset ? a : b));
  const trimmed: CstNode = {
    name: current.name,
    children: { ...current.children, dereference: arrows.filter((a) => a !== lastArrow), allFields: [] },
    ...(current.location === undefined ? {} : { location: current.location }),
  };
  return buildPostfix(ctx, trimmed);
}

function buildRelation(ctx: BuildContext, node: CstNode): Relation {
  const left = buildAliasedRelation(ctx, requiredNode(node, 'aliasedRelation'));
  const joins = childNodes(node, 'joinedSource');
  if (joins.length === 0) return left;
  return freeze({ kind: 'Join', left, joins: freeze(joins.map((j) => buildJoinedSource(ctx, j))) });
}

function buildAliasedRelation(ctx: BuildContext, node: CstNode): AliasedRelation {
  const alias = childToken(node, 'alias');
  return freeze({
    kind: 'AliasedRelation',
    name: nameOf(node),
    ...(alias === undefined ? {} : { alias: identifierText(alias) }),
    location: ctx.locationOfNode(node),
  });
}

function buildJoinedSource(ctx: BuildContext, node: CstNode): JoinedSource {
  const type: JoinType = has(node, 'FULL')
    ? 'FULL'
    : has(node, 'LEFT')
      ? 'LEFT'
      : has(node, 'RIGHT')
        ? 'RIGHT'
        : 'INNER';
  const withinNode = childNode(node, 'withinExpression');
  return freeze({
    kind: 'JoinedSource',
    type,
    relation: buildAliasedRelation(ctx, requiredNode(node, 'aliasedRelation')),
    ...(withinNode === undefined ? {} : { within: buildWithin(ctx, withinNode) }),
    on: buildExpression(ctx, requiredNode(node, 'expression')),
    location: ctx.locationOfNode(node),
  });
}

function buildWithin(ctx: BuildContext, node: CstNode): WithinExpression {
  const grace = childNode(node, 'gracePeriod');
  const graceDuration =
    grace === undefined ? {} : { grace: durationOf(ctx, requiredNode(grace, 'duration'), 'GRACE PERIOD') };
  const size = childNode(node, 'size');
  if (size !== undefined) return freeze({ before: durationOf(ctx, size, 'WITHIN'), ...graceDuration });
  return freeze({
    before: durationOf(ctx, requiredNode(node, 'before'), 'WITHIN'),
    after: durationOf(ctx, requiredNode(node, 'after'), 'WITHIN'),
    ...graceDuration,
  });
}

function buildWindow(ctx: BuildContext, node: CstNode): WindowExpression {
  const options = requiredNode(node, 'windowOptions');
  const retention = childNode(options, 'retention');
  const grace = childNode(options, 'gracePeriod');
  const name = childToken(node, 'windowName');
  const common = {
    ...(retention === undefined ? {} : { retention: durationOf(ctx, retention, 'RETENTION') }),
    ...(grace === undefined
      ? {}
      : { grace: durationOf(ctx, requiredNode(grace, 'duration'), 'GRACE PERIOD') }),
    ...(name === undefined ? {} : { name: name.image.toUpperCase() }),
  };
  const size = durationOf(ctx, requiredNode(node, 'size'), 'SIZE');
  if (has(node, 'TUMBLING')) return freeze({ kind: 'TumblingWindow', size, ...common });
  if (has(node, 'HOPPING')) {
    return freeze({
      kind: 'HoppingWindow',
      size,
      advance: durationOf(ctx, requiredNode(node, 'advance'), 'ADVANCE BY'),
      ...common,
    });
  }
  return freeze({ kind: 'SessionWindow', gap: size, ...common });
}
