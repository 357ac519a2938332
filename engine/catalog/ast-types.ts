/**
 * Types as written in SQL (parser AST) to the engine's type model. Custom type names
 * (CREATE TYPE) are resolved through the caller's lookup.
 */
import type { SqlType as AstType } from '../../parser/ast.js';
import {
  arrayType,
  decimalType,
  mapType,
  primitiveType,
  type SqlType,
  SqlTypeError,
  structType,
} from './types.js';

export type CustomTypeLookup = (name: string) => SqlType | undefined;

export function sqlTypeFromAst(type: AstType, lookup: CustomTypeLookup = () => undefined): SqlType {
  switch (type.kind) {
    case 'PrimitiveType': {
      const primitive = primitiveType(type.name);
      if (primitive === undefined) throw new SqlTypeError(`Unknown type: ${type.name}`);
      return primitive;
    }
    case 'DecimalType':
      return decimalType(type.precision, type.scale);
    case 'ArrayType':
      return arrayType(sqlTypeFromAst(type.element, lookup));
    case 'MapType':
      return mapType(sqlTypeFromAst(type.key, lookup), sqlTypeFromAst(type.value, lookup));
    case 'StructType':
      return structType(type.fields.map((f) => ({ name: f.name, type: sqlTypeFromAst(f.type, lookup) })));
    case 'CustomType': {
      const custom = lookup(type.name);
      if (custom === undefined) throw new SqlTypeError(`Cannot resolve unknown type: ${type.name}`);
      return custom;
    }
  }
}
