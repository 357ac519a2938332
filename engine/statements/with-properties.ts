/**
 * WITH (...) clauses: validation against the properties a statement kind accepts, and typed
 * access. ksqlDB's wording for every error, since its tests match on it.
 */
import type { Literal, Property } from '../../parser/ast.js';
import { StatementError } from '../errors.js';

export type WithClauseKind = 'CREATE_SOURCE' | 'CREATE_AS' | 'INSERT_INTO';

const COMMON = [
  'KAFKA_TOPIC',
  'PARTITIONS',
  'REPLICAS',
  'RETENTION_MS',
  'FORMAT',
  'KEY_FORMAT',
  'VALUE_FORMAT',
  'TIMESTAMP',
  'TIMESTAMP_FORMAT',
  'WRAP_SINGLE_VALUE',
  'VALUE_DELIMITER',
  'KEY_DELIMITER',
  'KEY_SCHEMA_ID',
  'VALUE_SCHEMA_ID',
  'KEY_SCHEMA_FULL_NAME',
  'VALUE_SCHEMA_FULL_NAME',
  'VALUE_AVRO_SCHEMA_FULL_NAME',
  'KEY_PROTOBUF_NULLABLE_REPRESENTATION',
  'VALUE_PROTOBUF_NULLABLE_REPRESENTATION',
];
const ALLOWED: Readonly<Record<WithClauseKind, ReadonlySet<string>>> = {
  CREATE_SOURCE: new Set([...COMMON, 'WINDOW_TYPE', 'WINDOW_SIZE', 'CLEANUP_POLICY', 'SOURCE_CONNECTOR']),
  CREATE_AS: new Set(COMMON),
  INSERT_INTO: new Set(['QUERY_ID']),
};

export class WithProperties {
  private readonly values: ReadonlyMap<string, Literal>;

  constructor(properties: readonly Property[], kind: WithClauseKind) {
    const values = new Map<string, Literal>();
    const invalid: string[] = [];
    for (const p of properties) {
      const name = p.name.toUpperCase();
      if (!ALLOWED[kind].has(name)) invalid.push(name);
      values.set(name, p.value);
    }
    if (invalid.length > 0) {
      throw new StatementError(`Invalid config variable(s) in the WITH clause: ${invalid.join(',')}`);
    }
    this.values = values;
    if (this.has('FORMAT') && this.has('KEY_FORMAT')) {
      throw new StatementError(
        "Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
      );
    }
    if (this.has('FORMAT') && this.has('VALUE_FORMAT')) {
      throw new StatementError(
        "Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
      );
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    if (v === undefined || v.kind === 'NullLiteral') return undefined;
    switch (v.kind) {
      case 'StringLiteral':
        return v.value;
      case 'IntegerLiteral':
      case 'BigIntLiteral':
      case 'BooleanLiteral':
        return String(v.value);
      case 'DecimalLiteral':
        return v.value;
      case 'DoubleLiteral':
        return v.text;
      case 'VariableReference':
        throw new StatementError(`Unresolved variable in property ${name}: \${${v.name}}`);
    }
  }

  integer(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n))
      throw new StatementError(`Invalid value for ${name}: '${text}' is not an integer`);
    return n;
  }

  boolean(name: string): boolean | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (v.kind === 'BooleanLiteral') return v.value;
    const text = this.string(name)?.toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw new StatementError(`Property ${name} must be a boolean, got: ${this.string(name)}`);
  }

  /** The key format: FORMAT, else KEY_FORMAT, upper-cased. */
  keyFormat(): string | undefined {
    return (this.string('FORMAT') ?? this.string('KEY_FORMAT'))?.toUpperCase();
  }

  /** The value format: FORMAT, else VALUE_FORMAT, upper-cased. */
  valueFormat(): string | undefined {
    return (this.string('FORMAT') ?? this.string('VALUE_FORMAT'))?.toUpperCase();
  }
}
