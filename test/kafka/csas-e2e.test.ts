import { afterAll, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { builtinFunctions } from '../../engine/expr/functions/registry.js';
import { KafkaLog } from '../../engine/log/kafka-log.js';
import { describeKafka, readTopic, uniqueName } from '../support/kafka.js';

describeKafka('CREATE STREAM AS SELECT on a real broker', (bootstrapServers) => {
  const engineLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-engine' });
  const clientLog = new KafkaLog({ bootstrapServers, clientId: 'sluice-test-client' });
  const engine = new Engine({
    log: engineLog,
    registry: builtinFunctions,
    config: { 'auto.offset.reset': 'earliest' },
  });

  afterAll(async () => {
    await engine.close();
    await engineLog.close();
    await clientLog.close();
  });

  it('filters and projects records into the sink topic; a malformed record goes to the processing log', async () => {
    const input = uniqueName('orders').replaceAll('-', '_');
    const output = `${input}_big`;
    await engine.execute(
      `CREATE STREAM s_${input} (id INT KEY, item STRING, qty INT) WITH (kafka_topic='${input}', partitions=1, value_format='JSON');`,
    );
    await engine.execute(
      `CREATE STREAM o_${input} WITH (kafka_topic='${output}') AS SELECT id, UCASE(item) AS item, qty FROM s_${input} WHERE qty > 1;`,
    );
    const key = (id: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(id);
      return b;
    };
    await clientLog.append(input, [
      { key: key(1), value: Buffer.from('{"ITEM":"apple","QTY":3}') },
      { key: key(2), value: Buffer.from('{"ITEM":"pear","QTY":1}') },
      { key: key(3), value: Buffer.from('this is not json') },
      { key: key(4), value: Buffer.from('{"ITEM":"fig","QTY":5}') },
    ]);

    const received = await readTopic(clientLog, output, 2);

    expect(received.map((r) => [r.key?.readInt32BE(0), JSON.parse(r.value!.toString())])).toEqual([
      [1, { ITEM: 'APPLE', QTY: 3 }],
      [4, { ITEM: 'FIG', QTY: 5 }],
    ]);
    expect(engine.processingLog.entries()).toEqual([
      expect.objectContaining({ kind: 'deserialization', topic: input, offset: 2n }),
    ]);
  }, 90_000);
});
