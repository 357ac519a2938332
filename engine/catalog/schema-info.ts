/**
 * The JSON description of a type that ksqlDB's REST API puts in DESCRIBE output
 * (`fields[].schema`): `{type, fields, memberSchema}` with explicit nulls, as the CLI and the
 * golden files expect; ARRAY and MAP describe their element / value type in `memberSchema`,
 * STRUCT its fields in `fields`, DECIMAL its precision and scale in `parameters`.
 */
import type { SqlType, SqlTypeKind } from './types.js';

export interface SchemaInfo {
  readonly type: SqlTypeKind;
  readonly fields: readonly FieldInfo[] | null;
  readonly memberSchema: SchemaInfo | null;
  readonly parameters?: { readonly precision: number; readonly scale: number };
}

export interface FieldInfo {
  readonly name: string;
  readonly schema: SchemaInfo;
}

export function schemaInfo(type: SqlType): SchemaInfo {
  switch (type.kind) {
    case 'ARRAY':
      return { type: 'ARRAY', fields: null, memberSchema: schemaInfo(type.element) };
    case 'MAP':
      return { type: 'MAP', fields: null, memberSchema: schemaInfo(type.value) };
    case 'STRUCT':
      return {
        type: 'STRUCT',
        fields: type.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })),
        memberSchema: null,
      };
    case 'DECIMAL':
      return {
        type: 'DECIMAL',
        fields: null,
        memberSchema: null,
        parameters: { precision: type.precision, scale: type.scale },
      };
    default:
      return { type: type.kind, fields: null, memberSchema: null };
  }
}
