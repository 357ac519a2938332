/**
 * CST -> AST for statements and queries. ksqlDB checks a few rules while building its AST
 * (KEY against PRIMARY KEY, WINDOW_TYPE/WINDOW_SIZE); they are checked here too so that the
 * same statements fail with the same error kind.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { ColumnConstraint, Property, Statement, TableElement } from './ast.js';
import {
  type BuildContext,
  childNode,
  childNodes,
  childToken,
  childTokens,
  durationOf,
  has,
  identifierText,
  identifierTextKeepingCase,
  integerOf,
  nameOf,
  nameToken,
  onlyChild,
  requiredNode,
  stringValue,
  timeUnitOf,
} from './build-context.js';
import { buildLiteral, buildValue } from './build-expressions.js';
import { buildQuery } from './build-query.js';
import { buildType } from './build-types.js';
import { messages } from './messages.js';

const freeze = Object.freeze;

export function buildStatement(ctx: BuildContext, node: CstNode): Statement {
  const child = onlyChild(node);
  const location = ctx.locationOfNode(child);
  switch (child.name) {
    case 'query':
      return buildQuery(ctx, child);
    case 'listStatement':
      return buildList(child, location);
    case 'describeStatement':
      return buildDescribe(child, location);
    case 'printStatement':
      return buildPrint(ctx, child, location);
    case 'queryControlStatement': {
      const idNode = childToken(child, 'AnyIdentifier');
      const queryId = idNode === undefined ? {} : { queryId: identifierText(idNode) };
      const kind = has(child, 'TERMINATE')
        ? 'TerminateQuery'
        : has(child, 'PAUSE')
          ? 'PauseQuery'
          : 'ResumeQuery';
      return freeze({ kind, ...queryId, location });
    }
    case 'setStatement': {
      const [name, value] = childNodes(child, 'stringOrVariable').map(stringOrVariable);
      return freeze({ kind: 'SetProperty', name: name!, value: value!, location });
    }
    case 'unsetStatement':
      return freeze({
        kind: 'UnsetProperty',
        name: stringOrVariable(requiredNode(child, 'stringOrVariable')),
        location,
      });
    case 'alterStatement':
      return buildAlter(ctx, child, location);
    case 'defineStatement':
      return freeze({
        kind: 'DefineVariable',
        name: identifierTextKeepingCase(nameToken(child)),
        value: stringValue(childToken(child, 'StringLiteral')!),
        location,
      });
    case 'undefineStatement':
      return freeze({
        kind: 'UndefineVariable',
        name: identifierTextKeepingCase(nameToken(child)),
        location,
      });
    case 'createStatement':
      return buildCreate(ctx, child, location);
    case 'insertStatement':
      return buildInsert(ctx, child, location);
    case 'dropStatement':
      return buildDrop(child, location);
    case 'explainStatement': {
      const inner = childNode(child, 'statement');
      if (inner !== undefined)
        return freeze({ kind: 'Explain', statement: buildStatement(ctx, inner), location });
      return freeze({
        kind: 'Explain',
        queryId: nameOf(child),
        location,
      });
    }
    case 'assertStatement':
      return buildAssert(ctx, child, location);
    case 'runScriptStatement':
      return freeze({ kind: 'RunScript', path: stringValue(childToken(child, 'StringLiteral')!), location });
    default:
      throw new Error(`Unexpected statement '${child.name}'`);
  }
}

function stringOrVariable(node: CstNode): string {
  const token = childToken(node, 'StringLiteral');
  return token === undefined ? childToken(node, 'Variable')!.image : stringValue(token);
}

type Location = ReturnType<BuildContext['locationOfNode']>;

function buildList(node: CstNode, location: Location): Statement {
  const extended = has(node, 'EXTENDED');
  if (has(node, 'PROPERTIES')) return freeze({ kind: 'ListProperties', location });
  if (has(node, 'TOPICS')) return freeze({ kind: 'ListTopics', all: has(node, 'ALL'), extended, location });
  if (has(node, 'STREAMS')) return freeze({ kind: 'ListStreams', extended, location });
  if (has(node, 'TABLES')) return freeze({ kind: 'ListTables', extended, location });
  if (has(node, 'QUERIES')) return freeze({ kind: 'ListQueries', extended, location });
  if (has(node, 'FUNCTIONS')) return freeze({ kind: 'ListFunctions', location });
  if (has(node, 'TYPES')) return freeze({ kind: 'ListTypes', location });
  if (has(node, 'VARIABLES')) return freeze({ kind: 'ListVariables', location });
  if (has(node, 'PLUGINS')) return freeze({ kind: 'ListConnectorPlugins', location });
  const scope = has(node, 'SOURCE') ? 'SOURCE' : has(node, 'SINK') ? 'SINK' : 'ALL';
  return freeze({ kind: 'ListConnectors', scope, location });
}

function buildDescribe(node: CstNode, location: Location): Statement {
  const extended = has(node, 'EXTENDED');
  if (has(node, 'STREAMS')) return freeze({ kind: 'DescribeStreams', extended, location });
  if (has(node, 'FUNCTION')) {
    // ksqlDB keeps the function name as written; function lookup is case-insensitive.
    return freeze({
      kind: 'DescribeFunction',
      name: identifierTextKeepingCase(nameToken(node)),
      location,
    });
  }
  if (has(node, 'CONNECTOR')) {
    return freeze({
      kind: 'DescribeConnector',
      name: nameOf(node),
      location,
    });
  }
  const token = nameToken(node);
  const unquoted =
    token.tokenType.name !== 'BackQuotedIdentifier' && token.tokenType.name !== 'QuotedIdentifier';
  if (unquoted && token.image.toUpperCase() === 'TABLES')
    return freeze({ kind: 'DescribeTables', extended, location });
  return freeze({ kind: 'DescribeSource', name: identifierText(token), extended, location });
}

function buildPrint(ctx: BuildContext, node: CstNode, location: Location): Statement {
  const numbers = childNodes(node, 'number');
  const limitNode = childNode(node, 'limitClause');
  return freeze({
    kind: 'PrintTopic',
    // Topic names are case-sensitive: PRINT keeps an unquoted name as written, as ksqlDB does.
    topic: resourceName(requiredNode(node, 'resourceName'), true),
    fromBeginning: has(node, 'BEGINNING'),
    ...(numbers[0] === undefined ? {} : { interval: integerOf(ctx, numbers[0], 'INTERVAL') }),
    ...(limitNode === undefined ? {} : { limit: integerOf(ctx, requiredNode(limitNode, 'number'), 'LIMIT') }),
    location,
  });
}

function resourceName(node: CstNode, keepCase = false): string {
  const token = childToken(node, 'StringLiteral');
  if (token !== undefined) return stringValue(token);
  return keepCase ? identifierTextKeepingCase(nameToken(node)) : nameOf(node);
}

function buildAlter(ctx: BuildContext, node: CstNode, location: Location): Statement {
  if (has(node, 'SYSTEM')) {
    const [name, value] = childTokens(node, 'StringLiteral').map(stringValue);
    return freeze({ kind: 'AlterSystemProperty', name: name!, value: value!, location });
  }
  return freeze({
    kind: 'AlterSource',
    sourceType: has(node, 'STREAM') ? 'STREAM' : 'TABLE',
    name: nameOf(node),
    columns: freeze(
      childNodes(node, 'alterOption').map((option) =>
        freeze({
          name: nameOf(option),
          type: buildType(ctx, requiredNode(option, 'type')),
        }),
      ),
    ),
    location,
  });
}

function ifNotExists(node: CstNode): boolean {
  return childNodes(node, 'ifNotExists').some((n) => has(n, 'IF'));
}

function ifExists(node: CstNode): boolean {
  return childNodes(node, 'ifExists').some((n) => has(n, 'IF'));
}

function buildCreate(ctx: BuildContext, node: CstNode, location: Location): Statement {
  const orReplace = has(node, 'REPLACE');
  const replaceToken = childToken(node, 'OR');
  if (has(node, 'CONNECTOR')) {
    if (replaceToken !== undefined)
      throw ctx.syntaxError(replaceToken, messages.orReplaceNotAllowed('CONNECTOR'));
    return freeze({
      kind: 'CreateConnector',
      name: nameOf(node),
      type: has(node, 'SINK') ? 'SINK' : 'SOURCE',
      ifNotExists: ifNotExists(node),
      properties: buildProperties(ctx, childNode(node, 'withProperties')),
      location,
    });
  }
  if (has(node, 'TYPE')) {
    if (replaceToken !== undefined) throw ctx.syntaxError(replaceToken, messages.orReplaceNotAllowed('TYPE'));
    return freeze({
      kind: 'RegisterType',
      name: nameOf(node),
      type: buildType(ctx, requiredNode(node, 'type')),
      ifNotExists: ifNotExists(node),
      location,
    });
  }
  const isStream = has(node, 'STREAM');
  const name = nameOf(node);
  const properties = buildProperties(ctx, childNode(node, 'withProperties'));
  const queryNode = childNode(node, 'query');
  if (queryNode !== undefined) {
    const asToken = childToken(node, 'AS')!;
    const sourceToken = childToken(node, 'SOURCE');
    if (sourceToken !== undefined) {
      const at = ctx.locationOfToken(asToken);
      throw ctx.syntaxError(asToken, messages.syntaxErrorNear('AS', at.line, at.column));
    }
    const elements = childNode(node, 'tableElements');
    if (elements !== undefined) {
      const at = ctx.locationOfToken(asToken);
      throw ctx.syntaxError(asToken, messages.syntaxErrorNear('AS', at.line, at.column));
    }
    return freeze({
      kind: isStream ? 'CreateStreamAsSelect' : 'CreateTableAsSelect',
      name,
      orReplace,
      ifNotExists: ifNotExists(node),
      properties,
      query: buildQuery(ctx, queryNode),
      location,
    });
  }
  const elements = childNodes(childNode(node, 'tableElements') ?? node, 'tableElement').map((e) =>
    buildTableElement(ctx, e, isStream),
  );
  checkWindowProperties(ctx, properties, location);
  return freeze({
    kind: isStream ? 'CreateStream' : 'CreateTable',
    name,
    orReplace,
    ifNotExists: ifNotExists(node),
    isSource: has(node, 'SOURCE'),
    elements: freeze(elements),
    properties,
    location,
  });
}

function buildTableElement(ctx: BuildContext, node: CstNode, isStream: boolean): TableElement {
  const location = ctx.locationOfNode(node);
  const name = nameOf(node);
  const constraintNode = childNode(node, 'columnConstraint');
  let constraint: ColumnConstraint = 'NONE';
  let headerKey: string | undefined;
  if (constraintNode !== undefined) {
    if (has(constraintNode, 'KEY')) constraint = has(constraintNode, 'PRIMARY') ? 'PRIMARY KEY' : 'KEY';
    else if (has(constraintNode, 'HEADERS')) constraint = 'HEADERS';
    else {
      constraint = 'HEADER';
      headerKey = stringValue(childToken(constraintNode, 'StringLiteral')!);
    }
  }
  if (constraint === 'KEY' && !isStream) throw ctx.astError(location, messages.keyColumnInTable(name));
  if (constraint === 'PRIMARY KEY' && isStream)
    throw ctx.astError(location, messages.primaryKeyColumnInStream(name));
  return freeze({
    kind: 'TableElement',
    name,
    type: buildType(ctx, requiredNode(node, 'type')),
    constraint,
    ...(headerKey === undefined ? {} : { headerKey }),
    location,
  });
}

function buildProperties(ctx: BuildContext, node: CstNode | undefined): readonly Property[] {
  if (node === undefined) return freeze([]);
  return freeze(
    childNodes(node, 'property').map((property) => {
      const quoted = childToken(property, 'StringLiteral');
      const name = quoted === undefined ? nameOf(property) : stringValue(quoted);
      return freeze({ name, value: buildLiteral(ctx, requiredNode(property, 'literal')) });
    }),
  );
}

/** ksqlDB validates WINDOW_TYPE and WINDOW_SIZE of CREATE STREAM/TABLE while parsing. */
function checkWindowProperties(ctx: BuildContext, properties: readonly Property[], location: Location): void {
  const find = (key: string) => properties.find((p) => p.name.toUpperCase() === key)?.value;
  const windowType = find('WINDOW_TYPE');
  const windowSize = find('WINDOW_SIZE');
  const typeText = windowType?.kind === 'StringLiteral' ? windowType.value.toUpperCase() : undefined;
  if (windowType !== undefined && windowType.kind !== 'VariableReference') {
    if (typeText === undefined || !['SESSION', 'HOPPING', 'TUMBLING'].includes(typeText)) {
      throw ctx.plainError(location, messages.windowTypeInvalid(typeText ?? String(literalText(windowType))));
    }
  }
  if (windowSize !== undefined && windowSize.kind === 'StringLiteral') {
    const text = windowSize.value;
    const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(text);
    if (match === null)
      throw ctx.plainError(location, messages.windowSizeInvalid(text, messages.windowSizeNotNumber()));
    if (!/^[0-9]+$/.test(match[1]!)) {
      throw ctx.plainError(location, messages.windowSizeInvalid(text, messages.windowSizeNotNumber()));
    }
    if (timeUnitOf(match[2]!) === undefined) {
      throw ctx.plainError(
        location,
        messages.windowSizeInvalid(text, messages.unknownTimeUnit(match[2]!.toUpperCase())),
      );
    }
    if (typeText === 'SESSION') throw ctx.plainError(location, messages.windowSizeWithSession());
  } else if (windowSize === undefined && (typeText === 'HOPPING' || typeText === 'TUMBLING')) {
    throw ctx.plainError(location, messages.windowSizeRequired());
  }
}

function literalText(literal: Property['value']): string {
  return 'value' in literal ? String(literal.value) : 'NULL';
}

function buildInsert(ctx: BuildContext, node: CstNode, location: Location): Statement {
  const target = nameOf(node);
  const targetLocation = ctx.locationOfToken(nameToken(node));
  const queryNode = childNode(node, 'query');
  if (queryNode !== undefined) {
    return freeze({
      kind: 'InsertInto',
      target,
      targetLocation,
      properties: buildProperties(ctx, childNode(node, 'withProperties')),
      query: buildQuery(ctx, queryNode),
      location,
    });
  }
  const columnsNode = childNode(node, 'columnList');
  const columns =
    columnsNode === undefined ? [] : childTokens(columnsNode, 'AnyIdentifier').map(identifierText);
  const values = childNodes(requiredNode(node, 'valueList'), 'valueExpression').map((v) =>
    buildValue(ctx, v),
  );
  return freeze({
    kind: 'InsertValues',
    target,
    targetLocation,
    columns: freeze(columns),
    values: freeze(values),
    location,
  });
}

function buildDrop(node: CstNode, location: Location): Statement {
  if (has(node, 'TYPE') || has(node, 'CONNECTOR')) {
    return freeze({
      kind: has(node, 'TYPE') ? 'DropType' : 'DropConnector',
      name: nameOf(node),
      ifExists: ifExists(node),
      location,
    });
  }
  return freeze({
    kind: has(node, 'STREAM') ? 'DropStream' : 'DropTable',
    name: nameOf(node),
    ifExists: ifExists(node),
    deleteTopic: has(node, 'DELETE'),
    location,
  });
}

function buildAssert(ctx: BuildContext, node: CstNode, location: Location): Statement {
  const exists = !has(node, 'NOT');
  const timeoutNode = childNode(node, 'timeout');
  const timeout =
    timeoutNode === undefined
      ? {}
      : { timeout: durationOf(ctx, requiredNode(timeoutNode, 'duration'), 'TIMEOUT') };
  const testStatement = childNode(node, 'assertRows') ?? childNode(node, 'assertSourceShape');
  if (testStatement !== undefined)
    return buildTestAssert(ctx, testStatement, childToken(node, 'NOT'), location);
  // Topic and subject names are case-sensitive, as for PRINT.
  const names = childNodes(node, 'resourceName').map((n) => resourceName(n, true));
  if (has(node, 'TOPIC')) {
    return freeze({
      kind: 'AssertTopic',
      topic: names[0]!,
      exists,
      properties: buildProperties(ctx, childNode(node, 'withProperties')),
      ...timeout,
      location,
    });
  }
  const idNode = childNode(node, 'literal');
  return freeze({
    kind: 'AssertSchema',
    ...(names[0] === undefined ? {} : { subject: names[0] }),
    ...(idNode === undefined ? {} : { id: buildLiteral(ctx, idNode) }),
    exists,
    ...timeout,
    location,
  });
}

/** ASSERT VALUES / NULL VALUES / STREAM / TABLE, only where ksqlDB's testing tool parses them. */
function buildTestAssert(
  ctx: BuildContext,
  node: CstNode,
  notToken: IToken | undefined,
  location: Location,
): Statement {
  const keyword = (childToken(node, 'assertValues') ?? childToken(node, 'assertSource'))!;
  const first = childToken(node, 'tombstone') ?? keyword;
  const rejectAt = !ctx.testStatements ? first : notToken;
  if (rejectAt !== undefined) {
    const at = ctx.locationOfToken(rejectAt);
    throw ctx.syntaxError(rejectAt, messages.syntaxErrorNear(rejectAt.image, at.line, at.column));
  }
  const name = nameOf(node);
  if (keyword.tokenType.name === 'VALUES') {
    const columnsNode = childNode(node, 'columnList');
    const columns = freeze(
      columnsNode === undefined ? [] : childTokens(columnsNode, 'AnyIdentifier').map(identifierText),
    );
    const values = freeze(
      childNodes(requiredNode(node, 'valueList'), 'valueExpression').map((v) => buildValue(ctx, v)),
    );
    return has(node, 'tombstone')
      ? freeze({ kind: 'AssertTombstone', target: name, columns, keyValues: values, location })
      : freeze({ kind: 'AssertValues', target: name, columns, values, location });
  }
  const isStream = keyword.tokenType.name === 'STREAM';
  const elements = childNodes(childNode(node, 'tableElements') ?? node, 'tableElement').map((e) =>
    buildTableElement(ctx, e, isStream),
  );
  return freeze({
    kind: isStream ? 'AssertStream' : 'AssertTable',
    name,
    elements: freeze(elements),
    properties: buildProperties(ctx, childNode(node, 'withProperties')),
    location,
  });
}
