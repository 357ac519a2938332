/**
 * CST -> AST for SQL types: `VARCHAR` is `STRING`, `INT` is `INTEGER`, and any other name is a
 * custom type (CREATE TYPE) for the catalog to resolve.
 */
import type { CstNode } from 'chevrotain';
import type { PrimitiveTypeName, SqlType } from './ast.js';
import {
  type BuildContext,
  childNodes,
  childToken,
  childTokens,
  has,
  identifierText,
  nameOf,
  nameToken,
  requiredNode,
} from './build-context.js';

const freeze = Object.freeze;

const primitiveTypes: Readonly<Record<string, PrimitiveTypeName>> = {
  BOOLEAN: 'BOOLEAN',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  STRING: 'STRING',
  VARCHAR: 'STRING',
  BYTES: 'BYTES',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

export function buildType(ctx: BuildContext, node: CstNode): SqlType {
  let result = buildBaseType(ctx, node);
  for (const _ of childTokens(node, 'arraySuffix')) result = freeze({ kind: 'ArrayType', element: result });
  return result;
}

function buildBaseType(ctx: BuildContext, node: CstNode): SqlType {
  const nested = childNodes(node, 'type');
  if (has(node, 'ARRAY')) return freeze({ kind: 'ArrayType', element: buildType(ctx, nested[0]!) });
  if (has(node, 'MAP')) {
    return freeze({ kind: 'MapType', key: buildType(ctx, nested[0]!), value: buildType(ctx, nested[1]!) });
  }
  if (has(node, 'STRUCT')) {
    const fields = childNodes(node, 'structTypeField').map((field) =>
      freeze({
        name: nameOf(field),
        type: buildType(ctx, requiredNode(field, 'type')),
      }),
    );
    return freeze({ kind: 'StructType', fields: freeze(fields) });
  }
  if (has(node, 'DECIMAL')) {
    const [precision, scale] = childNodes(node, 'number').map((n) => Number(buildNumberText(n)));
    return freeze({ kind: 'DecimalType', precision: precision!, scale: scale! });
  }
  const token = nameToken(node);
  const name = identifierText(token);
  const primitive =
    token.tokenType.name === 'BackQuotedIdentifier' ? undefined : primitiveTypes[name.toUpperCase()];
  if (primitive !== undefined) return freeze({ kind: 'PrimitiveType', name: primitive });
  return freeze({ kind: 'CustomType', name });
}

function buildNumberText(node: CstNode): string {
  const sign = childToken(node, 'sign') === undefined ? '' : '-';
  const digits =
    childToken(node, 'IntegerLiteral') ??
    childToken(node, 'DecimalLiteral') ??
    childToken(node, 'FloatingPointLiteral')!;
  return sign + digits.image;
}
