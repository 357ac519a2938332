/**
 * Engine configuration: ksqlDB's property names, server defaults overlaid by session
 * properties (SET, or a request's streamsProperties). Values are kept as strings, as they
 * arrive over REST and from SET.
 */
export const ConfigKeys = Object.freeze({
  DEFAULT_KEY_FORMAT: 'ksql.persistence.default.format.key',
  DEFAULT_VALUE_FORMAT: 'ksql.persistence.default.format.value',
  WRAP_SINGLE_VALUES: 'ksql.persistence.wrap.single.values',
  OUTPUT_TOPIC_PREFIX: 'ksql.output.topic.name.prefix',
  SINK_PARTITIONS: 'ksql.sink.partitions',
  SINK_REPLICAS: 'ksql.sink.replicas',
  SERVICE_ID: 'ksql.service.id',
  AUTO_OFFSET_RESET: 'auto.offset.reset',
});

export const DEFAULT_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  [ConfigKeys.DEFAULT_KEY_FORMAT]: 'KAFKA',
  [ConfigKeys.SERVICE_ID]: 'default_',
  [ConfigKeys.OUTPUT_TOPIC_PREFIX]: '',
  [ConfigKeys.AUTO_OFFSET_RESET]: 'latest',
});

export class EngineConfig {
  constructor(private readonly values: Readonly<Record<string, string>>) {}

  static of(...layers: readonly Readonly<Record<string, unknown>>[]): EngineConfig {
    const merged: Record<string, string> = { ...DEFAULT_CONFIG };
    for (const layer of layers) {
      for (const [k, v] of Object.entries(layer)) {
        if (v !== undefined && v !== null) merged[k] = String(v);
      }
    }
    return new EngineConfig(merged);
  }

  with(overrides: Readonly<Record<string, unknown>>): EngineConfig {
    return EngineConfig.of(this.values, overrides);
  }

  get(key: string): string | undefined {
    return this.values[key];
  }

  boolean(key: string): boolean | undefined {
    const v = this.values[key];
    return v === undefined ? undefined : v.toLowerCase() === 'true';
  }

  integer(key: string): number | undefined {
    const v = this.values[key];
    return v === undefined || v === '' ? undefined : Number.parseInt(v, 10);
  }

  entries(): Readonly<Record<string, string>> {
    return this.values;
  }
}
