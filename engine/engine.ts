/**
 * The Engine: the one facade the REST server, the REPL and `sluice test` share. It parses
 * statements, keeps the catalog, plans and runs persistent queries over a Log.
 *
 * Statements run one at a time, in order; each is parsed after the variables of the DEFINE
 * statements before it are substituted.
 */
import type { Statement } from '../parser/ast.js';
import { ParseError, SqlError } from '../parser/errors.js';
import {
  orderByRefusal,
  parseStatement,
  parseStatements,
  refuseOrderBy,
  splitStatements,
  substituteVariables,
} from '../parser/index.js';
import { analyzeJoinQuery } from './analyzer/join-planner.js';
import { analyzeStreamQuery } from './analyzer/stream-query-planner.js';
import { sqlTypeFromAst } from './catalog/ast-types.js';
import type { DataSource } from './catalog/data-source.js';
import { MetaStore } from './catalog/metastore.js';
import { LogicalSchema } from './catalog/schema.js';
import { SqlTypeError } from './catalog/types.js';
import type { JsonNode } from './catalog/value-json.js';
import { isCommandStatement } from './command-log/command-statements.js';
import {
  COMMAND_TOPIC_FORMAT_VERSION,
  type Command,
  type CommandStatus,
  CommandTopic,
} from './command-log/command-topic.js';
import { SandboxLog } from './command-log/sandbox-log.js';
import { ConfigKeys, EngineConfig } from './config.js';
import {
  currentStatus,
  describeSourceEntity,
  describeSourcesEntity,
  executionPlanEntity,
  functionDescription,
  functionList,
  type KsqlEntity,
  propertyList,
  queryList,
  sourceDescription,
  sourceList,
  topicList,
  typeList,
  variableList,
} from './entities.js';
import { StatementError, UnsupportedStatementError, withStatement } from './errors.js';
import type { FunctionRegistry } from './expr/functions/function-types.js';
import type { Log } from './log/log.js';
import { MATERIALIZED_STORE } from './materialize/materialized-table.js';
import { PullConfigKeys, pullMessages } from './materialize/messages.js';
import { planPullQuery } from './materialize/pull-planner.js';
import { type PullQuery, streamPullQuery, tablePullQuery } from './materialize/pull-query.js';
import { sqlPullEligible, sqlPullQuery } from './materialize/pull-sql.js';
import { TableMaterializer } from './materialize/table-materializer.js';
import { explainPlan } from './plan/explain.js';
import { explainJoinPlan } from './plan/explain-join.js';
import type { StreamPipelinePlan } from './plan/physical-plan.js';
import { JoinAggregateQuery } from './runtime/joins/join-aggregate-query.js';
import { startJoinPushQuery } from './runtime/joins/join-push-query.js';
import { JoinQuery, type JoinQueryOptions } from './runtime/joins/join-query.js';
import { ensureRepartitionTopics } from './runtime/joins/repartition.js';
import { PersistentQuery } from './runtime/persistent-query.js';
import { type PrintedTopic, printTopic } from './runtime/print-topic.js';
import { ProcessingLog } from './runtime/processing-log.js';
import { ProcessingLogTopicWriter } from './runtime/processing-log-topic.js';
import { type PushQuery, startPushQuery } from './runtime/push-query.js';
import { SharedSourceReaders } from './runtime/shared-source-reader.js';
import { commitIntervalMs, queryStateSettings, StateConfigKeys } from './state/open-state-store.js';
import { type RestoreStatus, RestoreStatusBoard, restoreStatistics } from './state/restore-status.js';
import {
  type PlannedPersistentQuery,
  planCreateStreamAsSelect,
  planInsertInto,
} from './statements/create-as-select.js';
import {
  checkCoPartitioned,
  isJoinQuery,
  joinPlanOf,
  type PlannedJoinQuery,
  planJoinAsSelect,
  planJoinInsertInto,
} from './statements/create-join-as-select.js';
import { dataSourceFromCreate } from './statements/create-source.js';
import { rowInserter } from './statements/insert-rows.js';
import { recordForInsertValues } from './statements/insert-values.js';
import { validateFormats } from './statements/source-formats.js';
import { WithProperties } from './statements/with-properties.js';

export interface EngineOptions {
  readonly log: Log;
  readonly registry: FunctionRegistry;
  /** Server configuration (ksqlDB property names). */
  readonly config?: Readonly<Record<string, unknown>>;
  /**
   * Deterministic mode for tests: persistent queries do not poll in the background; the
   * caller drives them with `runUntilIdle()`.
   */
  readonly deterministic?: boolean;
  /** When set, processing-log entries are also written to this topic (see `start()`). */
  readonly processingLogTopic?: string;
  /**
   * Statements that change the catalog or start a persistent query go through the command
   * topic of `ksql.service.id` (command-log/): validated in a sandbox, appended, then applied
   * in log order. `start()` replays the topic.
   */
  readonly commandTopic?: boolean;
  /** How long a command may take from append to applied. Default 30 s. */
  readonly commandTimeoutMs?: number;
  /**
   * A sandbox: an engine that only validates statements. It runs on a log whose writes stay in
   * memory (SandboxLog) and keeps no state outside memory.
   */
  readonly sandbox?: boolean;
  /** The server log: lines on restores of state (start, progress, end). */
  readonly serverLog?: (line: string) => void;
}

export interface StatementResult {
  readonly statementText: string;
  readonly kind: Statement['kind'];
  readonly message: string;
  readonly queryId?: string;
  /** What the REST API returns for the statement (ksqlDB's entity). */
  readonly entity: KsqlEntity;
}

export class Engine {
  readonly metastore = new MetaStore();
  readonly processingLog: ProcessingLog;
  private readonly processingLogWriter: ProcessingLogTopicWriter | undefined;
  private readonly queries = new Map<string, PersistentQuery | JoinQuery>();
  /** The queryable tables (every CTAS and CREATE SOURCE TABLE), by name. */
  private readonly materialized = new Map<string, TableMaterializer>();
  /** Progress of state restores, per query or table and store. */
  readonly restores: RestoreStatusBoard;
  private readonly variables = new Map<string, string>();
  private sessionProperties: Record<string, string> = {};
  private queryCounter = 0;
  private readonly config: EngineConfig;
  private commandTopic: CommandTopic<StatementResult> | undefined;
  /** While a command is applied: its sequence number (the command topic offset); else -1. */
  private commandSequence = -1;
  /** While the command topic is replayed at start, persistent queries are created but not started. */
  private replaying = false;
  /** The consumers push queries reading from the end of a source share. */
  readonly sharedSources: SharedSourceReaders;

  constructor(private readonly options: EngineOptions) {
    this.config = EngineConfig.of(options.config ?? {});
    this.restores = new RestoreStatusBoard(options.serverLog);
    this.sharedSources = new SharedSourceReaders(
      options.log,
      `_confluent-ksql-${this.config.get(ConfigKeys.SERVICE_ID) ?? 'default_'}transient_shared_`,
    );
    this.processingLogWriter =
      options.processingLogTopic === undefined
        ? undefined
        : new ProcessingLogTopicWriter(options.log, options.processingLogTopic);
    this.processingLog = new ProcessingLog(
      1_000,
      this.processingLogWriter && ((e) => this.processingLogWriter?.write(e)),
    );
  }

  /**
   * Creates the processing-log topic and the KSQL_PROCESSING_LOG stream over it, when the
   * engine was given `processingLogTopic`, so bad records can be queried like any stream.
   */
  async start(): Promise<void> {
    if (this.options.commandTopic === true && this.commandTopic === undefined) {
      const serviceId = this.config.get(ConfigKeys.SERVICE_ID) ?? 'default_';
      this.commandTopic = new CommandTopic<StatementResult>(
        this.options.log,
        serviceId,
        (command, sequence, replaying) => this.applyCommand(command, sequence, replaying),
        (result) => commandStatusOf(result),
      );
      await this.commandTopic.start();
      // Queries dropped later in the log were never started; the rest resume from their committed offsets.
      if (this.options.deterministic !== true) for (const query of this.queries.values()) query.start();
    }
    const writer = this.processingLogWriter;
    if (writer === undefined) return;
    await this.options.log.ensureTopic(writer.topic, { partitions: 1 });
    if (this.metastore.source('KSQL_PROCESSING_LOG') === undefined) {
      await this.execute(
        `CREATE STREAM KSQL_PROCESSING_LOG (LOGGER STRING, LEVEL STRING, \`TIME\` BIGINT, MESSAGE STRUCT<\`TYPE\` INT, DESERIALIZATIONERROR STRUCT<TARGET STRING, ERRORMESSAGE STRING, \`TOPIC\` STRING, \`PARTITION\` INT, \`OFFSET\` STRING>, RECORDPROCESSINGERROR STRUCT<ERRORMESSAGE STRING, \`TOPIC\` STRING, \`PARTITION\` INT, \`OFFSET\` STRING>>) WITH (KAFKA_TOPIC='${writer.topic.replaceAll("'", "''")}', VALUE_FORMAT='JSON');`,
      );
    }
  }

  get log(): Log {
    return this.options.log;
  }

  /** Runs every statement of the text; stops at the first error, which carries its statement. */
  async execute(
    text: string,
    properties: Readonly<Record<string, unknown>> = {},
  ): Promise<StatementResult[]> {
    const results: StatementResult[] = [];
    // A script is checked for syntax as a whole before anything runs, as ksqlDB does, so a
    // syntax error names its line in the script and leaves the earlier statements unrun.
    // Text with ${variables} is parsed piece by piece instead, after each DEFINE before it.
    const whole = text.includes('${') ? undefined : parseStatements(text);
    const pieces: readonly { text: string }[] = whole ?? splitStatements(text);
    for (let i = 0; i < pieces.length; i++) {
      const parsed =
        whole?.[i] ??
        parseStatement(
          this.variables.size === 0 ? pieces[i]!.text : substituteVariables(pieces[i]!.text, this.variables),
        );
      try {
        results.push(
          this.commandTopic !== undefined && isCommandStatement(parsed.statement)
            ? await this.submitCommand(parsed.statement, parsed.text, properties, this.commandTopic)
            : await this.executeStatement(parsed.statement, parsed.text, properties),
        );
      } catch (err) {
        throw userErrorOf(err, parsed.text);
      }
    }
    return results;
  }

  /** Validates a command in a sandbox, appends it to the command topic and waits until it was applied. */
  private async submitCommand(
    statement: Statement,
    text: string,
    properties: Readonly<Record<string, unknown>>,
    topic: CommandTopic<StatementResult>,
  ): Promise<StatementResult> {
    const overrides: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...this.sessionProperties, ...properties })) {
      if (v !== undefined && v !== null) overrides[k] = String(v);
    }
    const sandboxLog = new SandboxLog(this.options.log);
    const sandbox = new Engine({
      log: sandboxLog,
      registry: this.options.registry,
      ...(this.options.config === undefined ? {} : { config: this.options.config }),
      deterministic: true,
      sandbox: true,
    });
    sandbox.metastore.copyFrom(this.metastore);
    try {
      await sandbox.executeStatement(statement, text, overrides, {});
    } finally {
      await sandbox.close();
      await sandboxLog.close();
    }
    const command: Command = {
      statement: text,
      streamsProperties: overrides,
      version: COMMAND_TOPIC_FORMAT_VERSION,
    };
    const { result } = await topic.submit(
      commandIdOf(statement),
      command,
      this.options.commandTimeoutMs ?? 30_000,
    );
    return result;
  }

  /** Applies a command read from the command topic; its offset numbers the queries it starts. */
  private async applyCommand(
    command: Command,
    sequence: number,
    replaying: boolean,
  ): Promise<StatementResult> {
    const parsed = parseStatement(command.statement);
    this.commandSequence = sequence;
    this.queryCounter = sequence;
    this.replaying = replaying;
    try {
      return await this.executeStatement(parsed.statement, parsed.text, command.streamsProperties, {});
    } catch (err) {
      throw userErrorOf(err, parsed.text);
    } finally {
      this.commandSequence = -1;
      this.replaying = false;
    }
  }

  /**
   * Waits until the command with this sequence number has been applied here; false after
   * `timeoutMs`. Without a command topic there is nothing to wait for.
   */
  async waitForCommand(sequence: number, timeoutMs: number): Promise<boolean> {
    return this.commandTopic === undefined ? true : this.commandTopic.waitFor(sequence, timeoutMs);
  }

  /** The statuses of the commands applied from the command topic, by command id. */
  commandStatuses(): ReadonlyMap<string, CommandStatus> {
    return this.commandTopic?.commandStatuses() ?? new Map();
  }

  /** The sequence number of the last command applied; -1 without a command topic. */
  get commandSequenceNumber(): number {
    return this.commandTopic?.sequence ?? -1;
  }

  private async executeStatement(
    statement: Statement,
    text: string,
    properties: Readonly<Record<string, unknown>>,
    sessionProperties: Readonly<Record<string, unknown>> = this.sessionProperties,
  ): Promise<StatementResult> {
    const config = this.config.with(sessionProperties).with(properties);
    const done = (message: string, queryId?: string): StatementResult => {
      const entity = currentStatus(text, commandIdOf(statement), message, queryId, this.commandSequence);
      return queryId === undefined
        ? { statementText: text, kind: statement.kind, message, entity }
        : { statementText: text, kind: statement.kind, message, queryId, entity };
    };
    const listing = (entity: KsqlEntity): StatementResult => ({
      statementText: text,
      kind: statement.kind,
      message: '',
      entity,
    });
    // ORDER BY runs only in pull queries answered by DuckDB (pullQuery below).
    refuseOrderBy(statement, text);
    switch (statement.kind) {
      case 'CreateStream':
      case 'CreateTable': {
        const kindName = statement.kind === 'CreateStream' ? 'stream' : 'table';
        const existing = this.metastore.source(statement.name);
        if (statement.orReplace && statement.isSource) {
          throw new StatementError(
            `Cannot add ${kindName} '${statement.name}': CREATE OR REPLACE is not supported on source ${kindName}s.`,
          );
        }
        if (existing !== undefined) {
          if (statement.ifNotExists) return done(`A ${kindName} with the same name already exists`);
          if (!statement.orReplace) {
            throw new StatementError(
              `Cannot add ${kindName} '${statement.name}': A ${existing.kind === 'STREAM' ? 'stream' : 'table'} with the same name already exists`,
            );
          }
          if (existing.isSource || statement.isSource) {
            throw new StatementError(
              `Cannot add ${kindName} '${statement.name}': CREATE OR REPLACE is not supported on source ${kindName}s.`,
            );
          }
        }
        const source = dataSourceFromCreate(statement, text, this.metastore, config);
        const props = new WithProperties(statement.properties, 'CREATE_SOURCE');
        await this.ensureSourceTopic(source, props.integer('PARTITIONS'), props.integer('REPLICAS'));
        this.metastore.putSource(source);
        if (source.kind === 'TABLE' && source.isSource) await this.materialize(source.name);
        return done(`${kindName === 'stream' ? 'Stream' : 'Table'} created`);
      }
      case 'CreateStreamAsSelect':
      case 'CreateTableAsSelect': {
        const sinkName = statement.kind === 'CreateStreamAsSelect' ? 'stream' : 'table';
        if (this.metastore.source(statement.name) !== undefined && statement.ifNotExists) {
          return done(`A ${sinkName} with the same name already exists`);
        }
        const queryId = `${statement.kind === 'CreateStreamAsSelect' ? 'CSAS' : 'CTAS'}_${statement.name}_${this.queryCounter++}`;
        const planned = isJoinQuery(statement.query)
          ? planJoinAsSelect(statement, text, queryId, this.metastore, this.options.registry, config)
          : planCreateStreamAsSelect(statement, text, queryId, this.metastore, this.options.registry, config);
        const existing = this.metastore.source(statement.name);
        if (existing !== undefined && !statement.orReplace) {
          throw new StatementError(
            `Cannot add ${sinkName} '${statement.name}': A ${existing.kind === 'STREAM' ? 'stream' : 'table'} with the same name already exists`,
          );
        }
        await this.startQuery(planned, text, config);
        this.metastore.putSource(planned.sink);
        if (planned.sink.kind === 'TABLE') await this.materialize(planned.sink.name);
        return done(`Created query with ID ${queryId}`, queryId);
      }
      case 'InsertInto': {
        const explicit = statement.properties.find((p) => p.name.toUpperCase() === 'QUERY_ID');
        const queryId =
          explicit?.value.kind === 'StringLiteral'
            ? explicit.value.value.toUpperCase()
            : `INSERTQUERY_${this.queryCounter++}`;
        const planned = isJoinQuery(statement.query)
          ? planJoinInsertInto(statement, queryId, this.metastore, this.options.registry, config)
          : planInsertInto(statement, queryId, this.metastore, this.options.registry);
        await this.startQuery(planned, text, config);
        return done(`Created query with ID ${queryId}`, queryId);
      }
      case 'InsertValues': {
        const { source, record } = recordForInsertValues(statement, this.metastore, this.options.registry);
        await this.options.log.append(source.topic, [record]);
        return done('Inserted 1 row');
      }
      case 'DropStream':
      case 'DropTable':
        return done(
          await this.dropSource(statement.name, statement.ifExists, statement.deleteTopic, statement.kind),
        );
      case 'TerminateQuery': {
        const ids =
          statement.queryId === undefined
            ? this.metastore.allQueries().map((q) => q.id)
            : [statement.queryId];
        for (const id of ids) await this.terminate(id);
        return done(statement.queryId === undefined ? 'All queries terminated.' : `Query terminated.`);
      }
      case 'DefineVariable':
        this.variables.set(statement.name, statement.value);
        return done(`Defined variable ${statement.name}`);
      case 'UndefineVariable':
        this.variables.delete(statement.name);
        return done(`Undefined variable ${statement.name}`);
      case 'SetProperty':
        this.sessionProperties = { ...this.sessionProperties, [statement.name]: statement.value };
        return done(`Successfully changed local property '${statement.name}' to '${statement.value}'.`);
      case 'UnsetProperty': {
        const { [statement.name]: _removed, ...rest } = this.sessionProperties;
        this.sessionProperties = rest;
        return done(`Successfully unset local property '${statement.name}'.`);
      }
      case 'RegisterType': {
        if (this.metastore.type(statement.name) !== undefined && statement.ifNotExists)
          return done('Type already exists');
        this.metastore.putType(
          statement.name,
          sqlTypeFromAst(statement.type, (n) => this.metastore.type(n)),
        );
        return done(`Registered custom type with name '${statement.name}'`);
      }
      case 'DropType': {
        if (!this.metastore.deleteType(statement.name) && !statement.ifExists) {
          throw new StatementError(`Type ${statement.name} does not exist.`);
        }
        return done(`Dropped type '${statement.name}'`);
      }
      case 'AlterSource': {
        const kindName = statement.sourceType === 'STREAM' ? 'stream' : 'table';
        const source = this.metastore.source(statement.name);
        if (source === undefined || source.kind !== statement.sourceType) {
          throw new StatementError(`Source ${statement.name} does not exist.`);
        }
        if (source.isSource) {
          throw new StatementError(
            `Cannot alter ${kindName} '${statement.name}': ALTER operations are not supported on source ${kindName}s.`,
          );
        }
        if (source.createdByQuery !== undefined) {
          throw new StatementError(
            `ALTER command is not supported for CREATE ${statement.sourceType} AS SELECT ${kindName}s.`,
          );
        }
        const added = statement.columns.map((c) => ({
          name: c.name,
          type: sqlTypeFromAst(c.type, (n) => this.metastore.type(n)),
          namespace: 'VALUE' as const,
        }));
        for (const c of added) {
          if (source.schema.find(c.name) !== undefined) {
            throw new StatementError(
              `Cannot add column \`${c.name}\` to schema. A column with the same name already exists.`,
            );
          }
        }
        const schema = LogicalSchema.of([...source.schema.columns, ...added]);
        validateFormats(schema, source.keyFormat, source.valueFormat);
        this.metastore.putSource({ ...source, schema });
        return done(`${kindName === 'stream' ? 'Stream' : 'Table'} ${statement.name} altered.`);
      }
      case 'ListStreams':
        if (statement.extended) return listing(await this.describeAll(text, 'STREAM', true));
        return listing(sourceList(text, 'STREAM', this.metastore));
      case 'ListTables':
        if (statement.extended) return listing(await this.describeAll(text, 'TABLE', true));
        return listing(sourceList(text, 'TABLE', this.metastore));
      case 'DescribeStreams':
        return listing(await this.describeAll(text, 'STREAM', statement.extended));
      case 'DescribeTables':
        return listing(await this.describeAll(text, 'TABLE', statement.extended));
      case 'DescribeSource': {
        const source = this.metastore.source(statement.name);
        if (source === undefined) {
          throw new StatementError(`Could not find STREAM/TABLE '${statement.name}' in the Metastore`);
        }
        const partitions = (await this.options.log.describeTopic(source.topic))?.partitions ?? 0;
        const description = sourceDescription(source, this.metastore, partitions, statement.extended);
        if (statement.extended) this.addRestoreStatistics(description, source.name, source.createdByQuery);
        return listing(describeSourceEntity(text, description));
      }
      case 'ListTopics': {
        const topics = [];
        for (const name of (await this.options.log.listTopics()).sort()) {
          if (!statement.all && name.startsWith('_')) continue;
          const description = await this.options.log.describeTopic(name);
          if (description !== undefined) topics.push({ name, partitions: description.partitions });
        }
        return listing(topicList(text, topics));
      }
      case 'ListQueries':
        return listing(
          queryList(
            text,
            this.metastore.allQueries().map((q) => ({
              ...q,
              state: this.queries.get(q.id)?.state ?? 'UNKNOWN',
              sinkTopic: this.metastore.source(q.sink)?.topic ?? '',
            })),
          ),
        );
      case 'ListProperties':
        return listing(propertyList(text, config.entries(), Object.keys(this.sessionProperties)));
      case 'ListFunctions':
        return listing(functionList(text, this.options.registry.list()));
      case 'DescribeFunction': {
        const info = this.options.registry.describe(statement.name);
        if (info === undefined)
          throw new StatementError(`Can't find any functions with the name '${statement.name}'`);
        return listing(functionDescription(text, info));
      }
      case 'ListTypes':
        return listing(typeList(text, this.metastore.allTypes()));
      case 'ListVariables':
        return listing(variableList(text, this.variables));
      case 'Explain': {
        if (statement.queryId !== undefined) {
          const query = this.queries.get(statement.queryId);
          if (query === undefined)
            throw new StatementError(
              `Query with id:${statement.queryId} does not exist, use SHOW QUERIES to view the full set of running queries.`,
            );
          return listing(
            executionPlanEntity(
              text,
              query.plan.kind === 'JoinPipeline' ? explainJoinPlan(query.plan) : explainPlan(query.plan),
            ),
          );
        }
        const inner = statement.statement;
        if (
          (inner?.kind === 'CreateStreamAsSelect' || inner?.kind === 'CreateTableAsSelect') &&
          isJoinQuery(inner.query)
        ) {
          const planned = planJoinAsSelect(
            inner,
            text,
            'EXPLAIN',
            this.metastore,
            this.options.registry,
            config,
          );
          return listing(executionPlanEntity(text, explainJoinPlan(planned.plan)));
        }
        if (inner?.kind !== 'CreateStreamAsSelect') {
          throw new UnsupportedStatementError(
            'EXPLAIN',
            'EXPLAIN supports CREATE STREAM AS SELECT and query ids so far.',
          );
        }
        const planned = planCreateStreamAsSelect(
          inner,
          text,
          'EXPLAIN',
          this.metastore,
          this.options.registry,
          config,
        );
        return listing(executionPlanEntity(text, explainPlan(planned.plan)));
      }
      default:
        throw new UnsupportedStatementError(
          statement.kind,
          `${statement.kind} statements are not supported yet.`,
        );
    }
  }

  private async describeAll(text: string, kind: 'STREAM' | 'TABLE', extended: boolean): Promise<KsqlEntity> {
    const descriptions = [];
    for (const source of this.metastore.allSources().filter((s) => s.kind === kind)) {
      const partitions = (await this.options.log.describeTopic(source.topic))?.partitions ?? 0;
      const description = sourceDescription(source, this.metastore, partitions, extended);
      if (extended) this.addRestoreStatistics(description, source.name, source.createdByQuery);
      descriptions.push(description);
    }
    return describeSourcesEntity(text, descriptions);
  }

  private async ensureSourceTopic(
    source: DataSource,
    partitions: number | undefined,
    replicas: number | undefined,
  ): Promise<void> {
    const existing = await this.options.log.describeTopic(source.topic);
    if (existing !== undefined) {
      if (partitions !== undefined && partitions !== existing.partitions) {
        throw new StatementError(
          `A Kafka topic with the name '${source.topic}' already exists, with different partition/replica configuration than required. KSQL expects ${partitions} partitions (topic has ${existing.partitions}).`,
        );
      }
      return;
    }
    if (partitions === undefined) {
      throw new StatementError(
        `Topic '${source.topic}' does not exist. If you want to create a new topic for the ${source.kind === 'STREAM' ? 'stream' : 'table'} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS').`,
      );
    }
    await this.options.log.ensureTopic(source.topic, {
      partitions,
      ...(replicas === undefined ? {} : { replicas }),
      config: { cleanupPolicy: source.kind === 'TABLE' ? 'compact' : 'delete' },
    });
  }

  private async startQuery(
    planned: PlannedPersistentQuery | PlannedJoinQuery,
    text: string,
    config: EngineConfig,
  ): Promise<void> {
    if (planned.plan.kind === 'JoinPipeline')
      return this.startJoinQuery(planned as PlannedJoinQuery, text, config);
    const { plan, sink } = planned as PlannedPersistentQuery;
    const sourceTopic = await this.options.log.describeTopic(plan.source.topic);
    if (sourceTopic === undefined) throw new StatementError(`Topic ${plan.source.topic} does not exist`);
    const sinkTopic = await this.options.log.describeTopic(sink.topic);
    if (sinkTopic === undefined) {
      await this.options.log.ensureTopic(sink.topic, {
        partitions: planned.partitions ?? sourceTopic.partitions,
        ...(planned.replicas === undefined ? {} : { replicas: planned.replicas }),
        config: { cleanupPolicy: sink.kind === 'TABLE' ? 'compact' : 'delete' },
      });
    }
    const serviceId = config.get(ConfigKeys.SERVICE_ID) ?? 'default_';
    const query = new PersistentQuery(plan, this.options.log, this.options.registry, this.processingLog, {
      groupId: `_confluent-ksql-${serviceId}query_${plan.queryId}`,
      autoOffsetReset: config.get(ConfigKeys.AUTO_OFFSET_RESET) === 'earliest' ? 'earliest' : 'latest',
      state: queryStateSettings(config, {
        // A deterministic engine keeps state in memory unless a state directory is configured.
        inMemory:
          this.options.sandbox === true ||
          (this.options.deterministic === true && config.get(StateConfigKeys.STATE_DIR) === undefined),
      }),
      commitIntervalMs: commitIntervalMs(config),
      onRestoreProgress: (progress) => this.restores.report(plan.queryId, progress.store, progress),
    });
    this.queries.set(plan.queryId, query);
    this.metastore.putQuery({
      id: plan.queryId,
      sqlText: text,
      sink: sink.name,
      sources: [plan.source.sourceName],
    });
    if (this.options.deterministic !== true && !this.replaying) query.start();
  }

  private async startJoinQuery(planned: PlannedJoinQuery, text: string, config: EngineConfig): Promise<void> {
    const { plan, sink } = planned;
    await checkCoPartitioned(plan, this.options.log);
    await ensureRepartitionTopics(plan, this.options.log);
    const first = await this.options.log.describeTopic(plan.sources[0]!.step.topic);
    if ((await this.options.log.describeTopic(sink.topic)) === undefined) {
      await this.options.log.ensureTopic(sink.topic, {
        partitions: planned.partitions ?? first?.partitions ?? 1,
        ...(planned.replicas === undefined ? {} : { replicas: planned.replicas }),
        config: { cleanupPolicy: sink.kind === 'TABLE' ? 'compact' : 'delete' },
      });
    }
    const serviceId = config.get(ConfigKeys.SERVICE_ID) ?? 'default_';
    const joinOptions: JoinQueryOptions = {
      groupId: `_confluent-ksql-${serviceId}query_${plan.queryId}`,
      autoOffsetReset: config.get(ConfigKeys.AUTO_OFFSET_RESET) === 'earliest' ? 'earliest' : 'latest',
      state: queryStateSettings(config, {
        // As for other persistent queries: in memory when deterministic, unless a state
        // directory is configured.
        inMemory:
          this.options.sandbox === true ||
          (this.options.deterministic === true && config.get(StateConfigKeys.STATE_DIR) === undefined),
      }),
      commitIntervalMs: commitIntervalMs(config),
      onRestoreProgress: (progress) => this.restores.report(plan.queryId, progress.store, progress),
    };
    const query =
      planned.aggregate === undefined
        ? new JoinQuery(plan, this.options.log, this.options.registry, this.processingLog, joinOptions)
        : await JoinAggregateQuery.open(
            plan,
            planned.aggregate,
            this.options.log,
            this.options.registry,
            this.processingLog,
            joinOptions,
          );
    this.queries.set(plan.queryId, query);
    this.metastore.putQuery({
      id: plan.queryId,
      sqlText: text,
      sink: sink.name,
      sources: plan.sources.map((s) => s.step.sourceName),
    });
    if (this.options.deterministic !== true && !this.replaying) query.start();
  }

  private async dropSource(
    name: string,
    ifExists: boolean,
    deleteTopic: boolean,
    kind: 'DropStream' | 'DropTable',
  ): Promise<string> {
    const source = this.metastore.source(name);
    if (source === undefined) {
      if (ifExists) return `Source \`${name}\` does not exist.`;
      throw new StatementError(`${kind === 'DropStream' ? 'Stream' : 'Table'} ${name} does not exist`);
    }
    if (deleteTopic && source.isSource)
      throw new StatementError(`Cannot delete topic for read-only source: ${name}`);
    const readers = this.metastore.readersOf(name).filter((q) => q.sink !== name);
    const writers = this.metastore.writersOf(name).filter((q) => q.id !== source.createdByQuery);
    if (readers.length > 0 || writers.length > 0) {
      throw new StatementError(
        `Cannot drop ${name}.\nThe following queries read from this source: [${readers.map((q) => q.id).join(', ')}].\nThe following queries write into this source: [${writers.map((q) => q.id).join(', ')}].\nYou need to terminate them before dropping ${name}.`,
      );
    }
    if (source.createdByQuery !== undefined) await this.terminate(source.createdByQuery);
    await this.materialized.get(name)?.close({ deleteState: true });
    this.materialized.delete(name);
    this.restores.forget(`table ${name}`);
    this.metastore.deleteSource(name);
    if (deleteTopic) await this.options.log.deleteTopic(source.topic);
    return `Source \`${name}\` (topic: ${source.topic}) was dropped.`;
  }

  private async terminate(id: string): Promise<void> {
    const query = this.queries.get(id);
    // A sandbox knows the queries from the catalog it copied, without running them.
    const known =
      query !== undefined || (this.options.sandbox === true && this.metastore.query(id) !== undefined);
    if (!known) throw new StatementError(`Unknown queryId: ${id}`);
    await query?.close({ deleteState: true });
    this.queries.delete(id);
    this.restores.forget(id);
    this.metastore.deleteQuery(id);
  }

  /** Keeps the table's rows in a store pull queries read (replacing an earlier one). */
  private async materialize(name: string): Promise<void> {
    const source = this.metastore.source(name);
    if (source === undefined || this.options.sandbox === true) return;
    await this.materialized.get(name)?.close();
    this.materialized.delete(name);
    this.restores.forget(`table ${name}`);
    const serviceId = this.config.get(ConfigKeys.SERVICE_ID) ?? 'default_';
    const materializer = await TableMaterializer.open(source, this.options.log, this.processingLog, {
      // As for persistent queries: a deterministic engine keeps state in memory unless a state
      // directory is configured.
      state: queryStateSettings(this.config, {
        inMemory:
          this.options.deterministic === true && this.config.get(StateConfigKeys.STATE_DIR) === undefined,
      }),
      serviceId,
      ...(this.options.serverLog === undefined ? {} : { warn: this.options.serverLog }),
      onRestoreProgress: this.restores.reporter(`table ${name}`, MATERIALIZED_STORE),
    });
    this.materialized.set(name, materializer);
    if (this.options.deterministic !== true) materializer.start();
  }

  /** DESCRIBE ... EXTENDED: the restores of the table's state and of its query's, if any. */
  private addRestoreStatistics(
    description: Record<string, unknown>,
    name: string,
    queryId: string | undefined,
  ): void {
    const statuses = [
      ...(queryId === undefined ? [] : this.restores.of(queryId)),
      ...this.restores.of(`table ${name}`),
    ];
    if (statuses.length > 0) description.statistics = restoreStatistics(statuses);
  }

  /** The materializer of a queryable table (metrics, tests). */
  materializerOf(name: string): TableMaterializer | undefined {
    return this.materialized.get(name);
  }

  /** The restores of state the engine knows of (in progress or done), per query or table and store. */
  restoreStatuses(): RestoreStatus[] {
    return this.restores.all();
  }

  /**
   * Starts a push query (`SELECT ... EMIT CHANGES`) or runs a pull query (a SELECT without
   * EMIT, over a materialized table or a stream's records so far) and returns its rows as an
   * async iterable; `close()` ends it.
   */
  async query(text: string, properties: Readonly<Record<string, unknown>> = {}): Promise<PushQuery> {
    const substituted = this.variables.size === 0 ? text : substituteVariables(text, this.variables);
    const parsed = parseStatement(substituted);
    const statement = parsed.statement;
    if (statement.kind !== 'Query') {
      throw new StatementError('Only SELECT statements can be run as queries.', {
        statementText: parsed.text,
      });
    }
    const config = this.config.with(this.sessionProperties).with(properties);
    if (statement.emit === undefined) {
      try {
        return await this.pullQuery(statement, config);
      } catch (err) {
        if (err instanceof SqlError) throw withStatement(err, parsed.text);
        if (err instanceof SqlTypeError)
          throw new StatementError(err.message, { statementText: parsed.text });
        throw err;
      }
    }
    refuseOrderBy(statement, parsed.text);
    try {
      if (isJoinQuery(statement)) {
        const analyzed = analyzeJoinQuery(statement, this.metastore, this.options.registry, undefined, {
          push: true,
        });
        const id = `transient_${analyzed.dataSources[0]!.name}_${Math.floor(Math.random() * 2 ** 53)}`;
        const serviceId = config.get(ConfigKeys.SERVICE_ID) ?? 'default_';
        const reset =
          config.get(ConfigKeys.AUTO_OFFSET_RESET) ??
          config.get(`ksql.streams.${ConfigKeys.AUTO_OFFSET_RESET}`);
        return startJoinPushQuery(
          joinPlanOf(id, analyzed, undefined),
          this.options.log,
          this.options.registry,
          this.processingLog,
          {
            groupId: `_confluent-ksql-${serviceId}${id}`,
            autoOffsetReset: reset === 'earliest' ? 'earliest' : 'latest',
            ...(statement.limit === undefined ? {} : { limit: statement.limit }),
          },
        );
      }
      const analyzed = analyzeStreamQuery(statement, this.metastore, this.options.registry, undefined, {
        push: true,
      });
      const id = `transient_${analyzed.source.name}_${Math.floor(Math.random() * 2 ** 53)}`;
      const plan: StreamPipelinePlan = {
        kind: 'StreamPipeline',
        queryId: id,
        source: analyzed.sourceStep,
        steps: analyzed.steps,
        project: analyzed.project,
      };
      const serviceId = config.get(ConfigKeys.SERVICE_ID) ?? 'default_';
      const reset =
        config.get(ConfigKeys.AUTO_OFFSET_RESET) ??
        config.get(`ksql.streams.${ConfigKeys.AUTO_OFFSET_RESET}`);
      return startPushQuery(plan, this.options.log, this.options.registry, this.processingLog, {
        groupId: `_confluent-ksql-${serviceId}${id}`,
        autoOffsetReset: reset === 'earliest' ? 'earliest' : 'latest',
        shared: this.sharedSources,
        ...(statement.limit === undefined ? {} : { limit: statement.limit }),
      });
    } catch (err) {
      if (err instanceof SqlError) throw withStatement(err, parsed.text);
      throw err;
    }
  }

  private pullQuery(
    statement: Extract<Statement, { kind: 'Query' }>,
    config: EngineConfig,
  ): PullQuery | Promise<PullQuery> {
    const sqlEnabled = config.boolean(PullConfigKeys.SQL_ENABLED) === true;
    const sqlEligible = () =>
      sqlPullEligible(statement, this.metastore, (name) => this.materialized.has(name));
    if (statement.orderBy !== undefined) {
      // ORDER BY (which ksqlDB lacks) is DuckDB's to answer, or refused.
      if (!sqlEnabled || !sqlEligible()) throw orderByRefusal(statement)!;
      const id = `query_${Date.now()}_${this.queryCounter++}`;
      return sqlPullQuery(id, statement, this.metastore, (name) => this.materialized.get(name)?.table);
    }
    let plan: ReturnType<typeof planPullQuery>;
    try {
      plan = planPullQuery(statement, this.metastore, this.options.registry, config, (name) =>
        this.materialized.has(name),
      );
    } catch (err) {
      // What ksqlDB refuses may still be read-only SQL DuckDB can answer, when enabled.
      if (err instanceof StatementError && sqlEnabled && sqlEligible()) {
        const id = `query_${Date.now()}_${this.queryCounter++}`;
        return sqlPullQuery(id, statement, this.metastore, (name) => this.materialized.get(name)?.table);
      }
      throw err;
    }
    const id = `query_${Date.now()}_${this.queryCounter++}`;
    if (plan.source.kind === 'STREAM') {
      const serviceId = config.get(ConfigKeys.SERVICE_ID) ?? 'default_';
      return streamPullQuery(id, plan, this.options.log, `_confluent-ksql-${serviceId}${id}`);
    }
    const materializer = this.materialized.get(plan.source.name);
    if (materializer === undefined) throw new StatementError(pullMessages.notQueryable(plan.source.name));
    return tablePullQuery(id, plan, materializer.table);
  }

  /** PRINT topic [FROM BEGINNING] [INTERVAL n] [LIMIT n]: the topic's records as text lines. */
  async print(text: string): Promise<PrintedTopic> {
    const parsed = parseStatement(text);
    const statement = parsed.statement;
    if (statement.kind !== 'PrintTopic') {
      throw new StatementError('Expected a PRINT statement.', { statementText: parsed.text });
    }
    // An unquoted name is upper-cased by the parser; fall back to the name as the user wrote it.
    const topics = await this.options.log.listTopics();
    const topic =
      topics.find((t) => t === statement.topic) ??
      topics.find((t) => t.toUpperCase() === statement.topic.toUpperCase());
    if (topic === undefined) {
      throw new StatementError(
        `Could not find topic '${statement.topic}', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.`,
        { statementText: parsed.text },
      );
    }
    return printTopic(this.options.log, topic, {
      fromBeginning: statement.fromBeginning,
      groupId: `_sluice_print_${Math.floor(Math.random() * 2 ** 53)}`,
      ...(statement.interval === undefined ? {} : { interval: statement.interval }),
      ...(statement.limit === undefined ? {} : { limit: statement.limit }),
    });
  }

  /**
   * A writer of JSON rows into a stream (the REST API's /inserts-stream); throws a
   * StatementError when `target` is not a stream one may insert into.
   */
  rowWriter(target: string): { readonly stream: string; insert(row: JsonNode): Promise<void> } {
    const inserter = rowInserter(this.metastore, target);
    return {
      stream: inserter.source.name,
      insert: async (row) => {
        await this.options.log.append(inserter.source.topic, [inserter.record(row)]);
      },
    };
  }

  /** Persistent queries, in creation order. */
  persistentQueries(): readonly (PersistentQuery | JoinQuery)[] {
    return [...this.queries.values()];
  }

  /** Deterministic mode: runs every query, in creation order, until none has input left. */
  async runUntilIdle(): Promise<void> {
    for (;;) {
      let processed = 0;
      for (const query of this.queries.values()) processed += await query.drain();
      for (const materializer of this.materialized.values()) processed += await materializer.drain();
      if (processed === 0) return;
    }
  }

  async close(): Promise<void> {
    await this.commandTopic?.close();
    await this.sharedSources.closeAll();
    await this.processingLogWriter?.flush();
    for (const query of this.queries.values()) await query.close();
    this.queries.clear();
    for (const materializer of this.materialized.values()) await materializer.close();
    this.materialized.clear();
  }
}

export { ParseError };

/** A statement's failure as the user's mistake it is, carrying the statement. */
function userErrorOf(err: unknown, text: string): unknown {
  if (err instanceof SqlError) return withStatement(err, text);
  if (err instanceof SqlTypeError) return new StatementError(err.message, { statementText: text });
  return err;
}

function commandStatusOf(result: StatementResult): CommandStatus {
  return result.queryId === undefined
    ? { status: 'SUCCESS', message: result.message }
    : { status: 'SUCCESS', message: result.message, queryId: result.queryId };
}

/** ksqlDB's command id: `<type>/<entity>/<action>`, e.g. `stream/`ORDERS`/create`. */
function commandIdOf(statement: Statement): string {
  switch (statement.kind) {
    case 'CreateStream':
    case 'CreateStreamAsSelect':
      return `stream/\`${statement.name}\`/create`;
    case 'CreateTable':
    case 'CreateTableAsSelect':
      return `table/\`${statement.name}\`/create`;
    case 'DropStream':
      return `stream/\`${statement.name}\`/drop`;
    case 'DropTable':
      return `table/\`${statement.name}\`/drop`;
    case 'InsertInto':
      return `stream/\`${statement.target}\`/execute`;
    case 'TerminateQuery':
      return `terminate/${statement.queryId ?? 'ALL'}/execute`;
    case 'RegisterType':
      return `type/${statement.name}/create`;
    case 'DropType':
      return `type/${statement.name}/drop`;
    case 'AlterSource':
      return `${statement.sourceType.toLowerCase()}/\`${statement.name}\`/alter`;
    default:
      return `cluster/${statement.kind}/execute`;
  }
}
