/**
 * SQL types as written in a statement (column definitions, CAST, CREATE TYPE, ALTER).
 * `VARCHAR` is `STRING` and `INT` is `INTEGER`, as in ksqlDB; a name that is not a built-in type
 * is a `CustomType` the catalog resolves (CREATE TYPE).
 */
export type PrimitiveTypeName =
  | 'BOOLEAN'
  | 'INTEGER'
  | 'BIGINT'
  | 'DOUBLE'
  | 'STRING'
  | 'BYTES'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP';

export interface PrimitiveType {
  readonly kind: 'PrimitiveType';
  readonly name: PrimitiveTypeName;
}

export interface DecimalType {
  readonly kind: 'DecimalType';
  readonly precision: number;
  readonly scale: number;
}

export interface ArrayType {
  readonly kind: 'ArrayType';
  readonly element: SqlType;
}

export interface MapType {
  readonly kind: 'MapType';
  readonly key: SqlType;
  readonly value: SqlType;
}

export interface StructTypeField {
  readonly name: string;
  readonly type: SqlType;
}

export interface StructType {
  readonly kind: 'StructType';
  readonly fields: readonly StructTypeField[];
}

/** A name registered with CREATE TYPE; resolved by the catalog, not the parser. */
export interface CustomType {
  readonly kind: 'CustomType';
  readonly name: string;
}

export type SqlType = PrimitiveType | DecimalType | ArrayType | MapType | StructType | CustomType;
export type SqlTypeKind = SqlType['kind'];
