/**
 * Statements. One kind per statement form of ksqlDB's grammar; every node is frozen.
 * Names of streams, tables, columns and types are already normalised: unquoted identifiers are
 * upper-cased, quoted ones keep their case.
 */
import type { Duration, Expression, Literal } from './expressions.js';
import type { SourceLocation } from './location.js';
import type { Query } from './query.js';
import type { SqlType } from './types.js';

interface Located {
  readonly location?: SourceLocation;
}

/** One `name = literal` of a WITH clause; `name` is upper-cased unless written as a string. */
export interface Property {
  readonly name: string;
  readonly value: Literal;
}

/**
 * How a column is populated: from the value (none), the record key (KEY for streams, PRIMARY
 * KEY for tables), all headers (HEADERS) or one header (HEADER('k')).
 */
export type ColumnConstraint = 'NONE' | 'KEY' | 'PRIMARY KEY' | 'HEADERS' | 'HEADER';

export interface TableElement extends Located {
  readonly kind: 'TableElement';
  readonly name: string;
  readonly type: SqlType;
  readonly constraint: ColumnConstraint;
  /** The header key of `HEADER('k')`. */
  readonly headerKey?: string;
}

interface CreateSourceBase extends Located {
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  /** CREATE SOURCE STREAM|TABLE: read-only, and for tables materialized for pull queries. */
  readonly isSource: boolean;
  readonly elements: readonly TableElement[];
  readonly properties: readonly Property[];
}
export interface CreateStream extends CreateSourceBase {
  readonly kind: 'CreateStream';
}
export interface CreateTable extends CreateSourceBase {
  readonly kind: 'CreateTable';
}

interface CreateAsSelectBase extends Located {
  readonly name: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly properties: readonly Property[];
  readonly query: Query;
}
export interface CreateStreamAsSelect extends CreateAsSelectBase {
  readonly kind: 'CreateStreamAsSelect';
}
export interface CreateTableAsSelect extends CreateAsSelectBase {
  readonly kind: 'CreateTableAsSelect';
}

export interface InsertInto extends Located {
  readonly kind: 'InsertInto';
  readonly target: string;
  /** Where the target's name is written (ksqlDB reports an unknown target there). */
  readonly targetLocation?: SourceLocation;
  readonly properties: readonly Property[];
  readonly query: Query;
}
export interface InsertValues extends Located {
  readonly kind: 'InsertValues';
  readonly target: string;
  /** Where the target's name is written (ksqlDB reports an unknown target there). */
  readonly targetLocation?: SourceLocation;
  /** The listed columns; empty when the statement lists none (all columns, in order). */
  readonly columns: readonly string[];
  readonly values: readonly Expression[];
}

export interface DropStream extends Located {
  readonly kind: 'DropStream';
  readonly name: string;
  readonly ifExists: boolean;
  readonly deleteTopic: boolean;
}
export interface DropTable extends Located {
  readonly kind: 'DropTable';
  readonly name: string;
  readonly ifExists: boolean;
  readonly deleteTopic: boolean;
}
export interface DropType extends Located {
  readonly kind: 'DropType';
  readonly name: string;
  readonly ifExists: boolean;
}
export interface DropConnector extends Located {
  readonly kind: 'DropConnector';
  readonly name: string;
  readonly ifExists: boolean;
}

/**
 * TERMINATE, PAUSE and RESUME name one query (ids are upper-cased unless quoted, as ksqlDB
 * reads them), or every query when `queryId` is absent (ALL).
 */
export interface TerminateQuery extends Located {
  readonly kind: 'TerminateQuery';
  readonly queryId?: string;
}
export interface PauseQuery extends Located {
  readonly kind: 'PauseQuery';
  readonly queryId?: string;
}
export interface ResumeQuery extends Located {
  readonly kind: 'ResumeQuery';
  readonly queryId?: string;
}

export interface ListStreams extends Located {
  readonly kind: 'ListStreams';
  readonly extended: boolean;
}
export interface ListTables extends Located {
  readonly kind: 'ListTables';
  readonly extended: boolean;
}
export interface ListTopics extends Located {
  readonly kind: 'ListTopics';
  /** SHOW ALL TOPICS: internal topics too. */
  readonly all: boolean;
  readonly extended: boolean;
}
export interface ListQueries extends Located {
  readonly kind: 'ListQueries';
  readonly extended: boolean;
}
export interface ListProperties extends Located {
  readonly kind: 'ListProperties';
}
export interface ListFunctions extends Located {
  readonly kind: 'ListFunctions';
}
export interface ListTypes extends Located {
  readonly kind: 'ListTypes';
}
export interface ListVariables extends Located {
  readonly kind: 'ListVariables';
}
export interface ListConnectors extends Located {
  readonly kind: 'ListConnectors';
  readonly scope: 'ALL' | 'SOURCE' | 'SINK';
}
export interface ListConnectorPlugins extends Located {
  readonly kind: 'ListConnectorPlugins';
}

/** DESCRIBE name [EXTENDED]. */
export interface DescribeSource extends Located {
  readonly kind: 'DescribeSource';
  readonly name: string;
  readonly extended: boolean;
}
export interface DescribeStreams extends Located {
  readonly kind: 'DescribeStreams';
  readonly extended: boolean;
}
/** DESCRIBE TABLES: an unquoted source name TABLES means every table, as in ksqlDB. */
export interface DescribeTables extends Located {
  readonly kind: 'DescribeTables';
  readonly extended: boolean;
}
export interface DescribeFunction extends Located {
  readonly kind: 'DescribeFunction';
  readonly name: string;
}
export interface DescribeConnector extends Located {
  readonly kind: 'DescribeConnector';
  readonly name: string;
}

/** EXPLAIN of a statement, or of a running query by id. Exactly one of the two is present. */
export interface Explain extends Located {
  readonly kind: 'Explain';
  readonly statement?: Statement;
  readonly queryId?: string;
}

export interface PrintTopic extends Located {
  readonly kind: 'PrintTopic';
  /** As written, case kept (topic names are case-sensitive), quotes removed. */
  readonly topic: string;
  readonly fromBeginning: boolean;
  /** INTERVAL (or SAMPLE) n: print every n-th record. */
  readonly interval?: number;
  readonly limit?: number;
}

export interface SetProperty extends Located {
  readonly kind: 'SetProperty';
  readonly name: string;
  readonly value: string;
}
export interface UnsetProperty extends Located {
  readonly kind: 'UnsetProperty';
  readonly name: string;
}
export interface AlterSystemProperty extends Located {
  readonly kind: 'AlterSystemProperty';
  readonly name: string;
  readonly value: string;
}
export interface DefineVariable extends Located {
  readonly kind: 'DefineVariable';
  readonly name: string;
  readonly value: string;
}
export interface UndefineVariable extends Located {
  readonly kind: 'UndefineVariable';
  readonly name: string;
}
/** RUN SCRIPT 'path': a client-side statement (see ParseOptions.clientStatements). */
export interface RunScript extends Located {
  readonly kind: 'RunScript';
  readonly path: string;
}

/** CREATE TYPE name AS type. */
export interface RegisterType extends Located {
  readonly kind: 'RegisterType';
  readonly name: string;
  readonly type: SqlType;
  readonly ifNotExists: boolean;
}

export interface AlterColumn {
  readonly name: string;
  readonly type: SqlType;
}
/** ALTER STREAM|TABLE name ADD [COLUMN] c type, ... */
export interface AlterSource extends Located {
  readonly kind: 'AlterSource';
  readonly sourceType: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly columns: readonly AlterColumn[];
}

export interface AssertTopic extends Located {
  readonly kind: 'AssertTopic';
  readonly topic: string;
  /** False for ASSERT NOT EXISTS. */
  readonly exists: boolean;
  readonly properties: readonly Property[];
  readonly timeout?: Duration;
}
export interface AssertSchema extends Located {
  readonly kind: 'AssertSchema';
  readonly subject?: string;
  readonly id?: Literal;
  readonly exists: boolean;
  readonly timeout?: Duration;
}

/**
 * Statements of ksqlDB's SQL testing tool (accepted with ParseOptions.testStatements):
 * `ASSERT VALUES src [(cols)] VALUES (...)` expects a row on the source's topic,
 * `ASSERT NULL VALUES src [(cols)] KEY (...)` a tombstone for that key, and
 * `ASSERT STREAM|TABLE src [(cols)] [WITH (...)]` that the source has that shape.
 */
export interface AssertValues extends Located {
  readonly kind: 'AssertValues';
  readonly target: string;
  readonly columns: readonly string[];
  readonly values: readonly Expression[];
}
export interface AssertTombstone extends Located {
  readonly kind: 'AssertTombstone';
  readonly target: string;
  readonly columns: readonly string[];
  readonly keyValues: readonly Expression[];
}
interface AssertSourceBase extends Located {
  readonly name: string;
  readonly elements: readonly TableElement[];
  readonly properties: readonly Property[];
}
export interface AssertStream extends AssertSourceBase {
  readonly kind: 'AssertStream';
}
export interface AssertTable extends AssertSourceBase {
  readonly kind: 'AssertTable';
}

export interface CreateConnector extends Located {
  readonly kind: 'CreateConnector';
  readonly name: string;
  readonly type: 'SOURCE' | 'SINK';
  readonly ifNotExists: boolean;
  readonly properties: readonly Property[];
}

export type Statement =
  | Query
  | CreateStream
  | CreateTable
  | CreateStreamAsSelect
  | CreateTableAsSelect
  | InsertInto
  | InsertValues
  | DropStream
  | DropTable
  | DropType
  | DropConnector
  | TerminateQuery
  | PauseQuery
  | ResumeQuery
  | ListStreams
  | ListTables
  | ListTopics
  | ListQueries
  | ListProperties
  | ListFunctions
  | ListTypes
  | ListVariables
  | ListConnectors
  | ListConnectorPlugins
  | DescribeSource
  | DescribeStreams
  | DescribeTables
  | DescribeFunction
  | DescribeConnector
  | Explain
  | PrintTopic
  | SetProperty
  | UnsetProperty
  | AlterSystemProperty
  | DefineVariable
  | UndefineVariable
  | RunScript
  | RegisterType
  | AlterSource
  | AssertTopic
  | AssertSchema
  | CreateConnector
  | AssertValues
  | AssertTombstone
  | AssertStream
  | AssertTable;

export type StatementKind = Statement['kind'];
