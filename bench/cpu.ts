/** CPU-time measurement shared by the benchmarks: events per CPU-second of this process. */
export interface Measurement {
  readonly events: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly eventsPerCpuSecond: number;
}

export function measure(events: number, body: () => void): Measurement {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  body();
  const used = process.cpuUsage(cpu);
  const wallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { events, cpuSeconds, wallSeconds, eventsPerCpuSecond: events / cpuSeconds };
}

/** `measure` for asynchronous work (I/O-bound benchmarks: Kafka, DuckDB). */
export async function measureAsync(events: number, body: () => Promise<void>): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  await body();
  const used = process.cpuUsage(cpu);
  const wallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { events, cpuSeconds, wallSeconds, eventsPerCpuSecond: events / cpuSeconds };
}

/** Runs `body` several times and keeps the fastest (least disturbed) run. */
export function bestOf(runs: number, events: number, body: () => void): Measurement {
  let best: Measurement | undefined;
  for (let i = 0; i < runs; i++) {
    const m = measure(events, body);
    if (best === undefined || m.eventsPerCpuSecond > best.eventsPerCpuSecond) best = m;
  }
  return best!;
}
