/**
 * Runs QTT cases on Sluice's engine over a MemoryLog, deterministically: topics are created
 * as upstream's harness creates them, statements run in order, inputs are produced in file
 * order to partition 0, queries run in creation order until idle, and every record that
 * reached an expected topic is read back with the owning source's formats.
 */

import { Engine } from '../engine/engine.js';
import { builtinFunctions } from '../engine/expr/functions/registry.js';
import { MemoryLog } from '../engine/log/memory-log.js';
import { repartitionedSources } from '../engine/runtime/joins/repartition.js';
import type { Property, Statement } from '../parser/ast.js';
import { parseStatement, splitStatements } from '../parser/index.js';
import type { ActualRecord } from './actual-values.js';
import { engineErrorOutcome } from './engine-errors.js';
import {
  type CaseExecutor,
  type CaseOutcome,
  type ExecutionContext,
  UnsupportedFeatureError,
} from './executor.js';
import type { QueryCase, RestCase } from './expand.js';
import { propertyText } from './expand.js';
import type { PostConditionView, SourceView, TopicView } from './post-conditions.js';
import { decodeRecord, encodeTestRecord } from './record-codec.js';
import { RecordingLog } from './recording-log.js';

const DDL_TOPIC_PARTITIONS = 4;
const SERVICE_ID = 'ksql.service.id';
const HARNESS_SERVICE_ID = 'some.ksql.service.id';

/**
 * Functions that exist only in ksqlDB's own test build (Java test UDFs); cases calling them
 * are not applicable to Sluice and are reported as skipped with that reason.
 */
const TEST_ONLY_FUNCTIONS = [
  'TEST_UDF',
  'TEST_UDTF',
  'TEST_UDAF',
  'WHENCONDITION',
  'WHENRESULT',
  'BAD_UDF',
  'THROWING_UDTF',
  'MULTI_ARG',
  'FOUR_ARG',
  'FIVE_ARG',
  'VAR_ARG',
  'MID_VAR_ARG',
  'GENERIC_VAR_ARG',
  'OBJ_COL_ARG',
];
const TEST_ONLY_CALL = new RegExp(`\\b(${TEST_ONLY_FUNCTIONS.join('|')})\\s*\\(`, 'i');
const RECORD_TOPIC_PARTITIONS = 4;

export const engineExecutor: CaseExecutor = {
  async execute(testCase: QueryCase, context: ExecutionContext): Promise<CaseOutcome> {
    const testOnly = TEST_ONLY_CALL.exec(testCase.script);
    if (testOnly !== null) {
      throw new UnsupportedFeatureError('test-only UDF', `${testOnly[1]} exists only in ksqlDB's test build`);
    }
    const log = new RecordingLog(new MemoryLog({ clock: () => 0 }));
    const engine = new Engine({ log, registry: builtinFunctions, deterministic: true });
    try {
      await createCaseTopics(testCase, log);
      const properties = {
        // The service id ksqlDB's test harness runs with: internal topic names carry it.
        [SERVICE_ID]: HARNESS_SERVICE_ID,
        ...Object.fromEntries(
          Object.entries(testCase.properties).map(([k, v]) => [k, v === null ? null : propertyText(v)]),
        ),
      };
      // The statements run as one script, as upstream runs them, so error positions are
      // relative to the script.
      const count = testCase.statements.length;
      try {
        await engine.execute(testCase.script, properties);
      } catch (err) {
        return engineErrorOutcome(err, {
          statementIndex: failingStatement(testCase, err),
          statementCount: count,
        });
      }
      if (context.signal.aborted) throw new Error('aborted');
      for (const input of testCase.test.inputs) {
        const source = engine.metastore.sourceForTopic(input.topic);
        await log.append(input.topic, [encodeTestRecord(input, source)]);
        await engine.runUntilIdle();
      }
      await engine.runUntilIdle();
      const outputs = new Map<string, ActualRecord[]>();
      const exact = testCase.harness.exactNumericComparison;
      for (const topic of context.outputTopics) {
        const source = engine.metastore.sourceForTopic(topic);
        outputs.set(
          topic,
          log.recorded(topic).map(({ record, result }) =>
            decodeRecord({ ...record, timestamp: result.timestamp }, source, {
              exactNumericComparison: exact,
            }),
          ),
        );
      }
      return {
        kind: 'completed',
        outputs,
        persistentQueryCount: engine.persistentQueries().length,
        view: postConditionView(engine, log),
      };
    } finally {
      await engine.close();
    }
  },
};

/** The index of the statement an error names (by its text); the last one when it names none. */
function failingStatement(testCase: QueryCase, err: unknown): number {
  const text = (err as { statementText?: unknown }).statementText;
  if (typeof text === 'string') {
    const index = testCase.statements.findIndex((s) => s.trim() === text.trim());
    if (index >= 0) return index;
  }
  return testCase.statements.length - 1;
}

/** `topics` entries, then the topics of CREATE statements that declare columns, then record topics. */
export async function createCaseTopics(testCase: QueryCase | RestCase, log: RecordingLog): Promise<void> {
  for (const topic of testCase.test.topics) {
    await log.ensureTopic(topic.name, { partitions: topic.partitions, replicas: topic.replicas });
  }
  for (const piece of splitStatements(testCase.script)) {
    let statement: Statement;
    try {
      statement = parseStatement(piece.text).statement;
    } catch {
      continue; // the engine reports it when the statement runs
    }
    if (
      (statement.kind !== 'CreateStream' && statement.kind !== 'CreateTable') ||
      statement.elements.length === 0
    ) {
      continue;
    }
    const topic = propertyValue(statement.properties, 'KAFKA_TOPIC');
    if (topic === undefined) continue;
    const partitions = Number(propertyValue(statement.properties, 'PARTITIONS') ?? DDL_TOPIC_PARTITIONS);
    await log.ensureTopic(topic, {
      partitions: Number.isInteger(partitions) && partitions > 0 ? partitions : 1,
    });
  }
  for (const record of [...testCase.test.inputs, ...testCase.test.outputs]) {
    await log.ensureTopic(record.topic, { partitions: RECORD_TOPIC_PARTITIONS });
  }
}

function propertyValue(properties: readonly Property[], name: string): string | undefined {
  const p = properties.find((x) => x.name.toUpperCase() === name);
  if (p === undefined) return undefined;
  const v = p.value;
  return v.kind === 'StringLiteral' ? v.value : 'value' in v ? String(v.value) : undefined;
}

function postConditionView(engine: Engine, log: RecordingLog): PostConditionView {
  const sources: SourceView[] = engine.metastore.allSources().map((s) => {
    const keyFormat: SourceView['keyFormat'] = { format: s.keyFormat.format };
    if (s.keyFormat.window !== undefined) {
      keyFormat.windowType = s.keyFormat.window.type;
      keyFormat.windowSize = s.keyFormat.window.sizeMs ?? null;
    }
    return {
      name: s.name,
      type: s.kind === 'STREAM' ? 'stream' : 'table',
      schema: s.schema.format(),
      keyFormat,
      valueFormat: s.valueFormat.format,
      keyFeatures: [],
      valueFeatures:
        (s.valueFormat.wrapSingleValue ?? s.valueFormat.defaultWrapSingleValue) === false &&
        s.schema.value.length === 1
          ? ['UNWRAP_SINGLES']
          : [],
      isSource: s.isSource,
    };
  });
  return {
    describeSources: async () => sources,
    topics: async () => {
      const views: TopicView[] = [];
      // Repartition topics: keyed in the format their query chose, values in JSON.
      const internalKeyFormats = new Map<string, string>();
      for (const query of engine.persistentQueries()) {
        if (query.plan.kind !== 'JoinPipeline') continue;
        for (const { step } of repartitionedSources(query.plan)) {
          internalKeyFormats.set(step.topic, step.keyFormat?.format ?? 'KAFKA');
        }
      }
      for (const name of await log.listTopics()) {
        const description = await log.describeTopic(name);
        const owner = engine.metastore.sourceForTopic(name);
        if (description === undefined) continue;
        const keyFormat = owner?.keyFormat.format ?? internalKeyFormats.get(name) ?? 'KAFKA';
        views.push({
          name,
          partitions: description.partitions,
          keyFormat: { format: keyFormat, properties: {}, features: [] },
          valueFormat: { format: owner?.valueFormat.format ?? 'JSON', properties: {}, features: [] },
        });
      }
      return views;
    },
  };
}
