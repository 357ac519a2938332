/**
 * Builds and runs the Kafka Streams baseline (bench/kstreams/): its jars resolved by Maven into
 * .cache/kstreams/libs (offline from the local Maven repository first, then from Maven
 * Central), its source compiled with javac into .cache/kstreams/classes when it changed, and
 * one JVM per run of a topology (`-Xms1g -Xmx1g`), whose own CPU seconds it reports.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot, sluiceHome } from '../kafka/project-paths.js';
import { type BenchContext, WorkloadNotAvailable } from './workload.js';

const execFileAsync = promisify(execFile);

export type KStreamsTopology = 'w1q1' | 'w1q2' | 'w2' | 'w3';

export interface KStreamsRun {
  readonly topology: KStreamsTopology;
  readonly events: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly eventsPerCpuSecond: number;
}

/** A run that takes longer has stalled (the full data set takes well under a minute). */
const KSTREAMS_TIMEOUT_MS = 240_000;

/** The warnings and errors of the JVM's log, without stack frames, shortened. */
function problems(stderr: string): string {
  return stderr
    .split('\n')
    .filter(
      (l) =>
        /WARN|ERROR|Exception/.test(l) && !/Explicit naming|has not been named|OS temp directory/.test(l),
    )
    .slice(-6)
    .join(' ')
    .slice(0, 1_000);
}

/** Kafka Streams commits every second, as Sluice's default commit interval. */
export const COMMIT_INTERVAL_MS = 1_000;

const sourceDir = () => join(projectRoot(), 'bench', 'kstreams');
const buildDir = () => join(sluiceHome(), 'kstreams');

async function tool(name: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(name, args);
  } catch {
    throw new WorkloadNotAvailable(
      `'${name}' is not installed (the Kafka Streams baseline needs Java 17+ and Maven)`,
    );
  }
}

async function resolveLibs(log: (line: string) => void): Promise<string> {
  const libs = join(buildDir(), 'libs');
  const pom = join(sourceDir(), 'pom.xml');
  const pomHash = createHash('sha256')
    .update(await readFile(pom))
    .digest('hex');
  const marker = join(libs, '.complete');
  if (existsSync(marker) && (await readFile(marker, 'utf8')).trim() === pomHash) return libs;
  const staging = `${libs}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const copy = (offline: boolean) =>
    execFileAsync(
      'mvn',
      [
        ...(offline ? ['-o'] : []),
        '-q',
        '-B',
        '-f',
        pom,
        'dependency:copy-dependencies',
        `-DoutputDirectory=${staging}`,
        '-DincludeScope=runtime',
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
  try {
    await copy(true);
  } catch {
    log('Kafka Streams jars not in the local Maven repository: fetching them from Maven Central (once)');
    try {
      await copy(false);
    } catch (err) {
      const out = (err as { stdout?: string }).stdout ?? String(err);
      throw new WorkloadNotAvailable(
        `Maven could not fetch Kafka Streams: ${out.split('\n').slice(-5).join(' ')}`,
      );
    }
  }
  await writeFile(join(staging, '.complete'), `${pomHash}\n`);
  await rm(libs, { recursive: true, force: true });
  await rename(staging, libs);
  return libs;
}

async function compile(libs: string): Promise<string> {
  const src = join(sourceDir(), 'src', 'bench');
  const files = (await readdir(src)).filter((f) => f.endsWith('.java')).map((f) => join(src, f));
  const hash = createHash('sha256');
  for (const f of files.sort()) hash.update(await readFile(f));
  const digest = hash.digest('hex');
  const classes = join(buildDir(), 'classes');
  const marker = join(classes, '.source-hash');
  if (existsSync(marker) && (await readFile(marker, 'utf8')).trim() === digest) return classes;
  await rm(classes, { recursive: true, force: true });
  await mkdir(classes, { recursive: true });
  try {
    await execFileAsync('javac', ['--release', '17', '-d', classes, '-cp', join(libs, '*'), ...files]);
  } catch (err) {
    throw new Error(`javac failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
  await writeFile(marker, `${digest}\n`);
  return classes;
}

let built: Promise<string> | undefined;

/** The classpath of the baseline, built on first use. */
export function kstreamsClasspath(log: (line: string) => void): Promise<string> {
  built ??= (async () => {
    await tool('java', ['-version']);
    await tool('javac', ['-version']);
    await tool('mvn', ['--version']);
    const libs = await resolveLibs(log);
    const classes = await compile(libs);
    return `${join(libs, '*')}:${classes}`;
  })();
  return built;
}

export interface KStreamsOptions {
  readonly topology: KStreamsTopology;
  readonly bids: string;
  readonly auctions: string;
  /** The output topic; `<output>-warmup` receives the warm-up instance's output. Both must exist. */
  readonly output: string;
  readonly events: number;
  readonly warmupEvents: number;
}

/** Runs one topology in its own JVM and returns what it reported. */
export async function runKStreams(ctx: BenchContext, options: KStreamsOptions): Promise<KStreamsRun> {
  const classpath = await kstreamsClasspath(ctx.log);
  const stateDir = await mkdtemp(join(tmpdir(), 'sluice-bench-kstreams-'));
  try {
    const args = [
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-Xms1g',
      '-Xmx1g',
      '-cp',
      classpath,
      'bench.KStreamsBench',
      options.topology,
      ctx.bootstrapServers,
      `sluice-bench-ks-${options.topology}-${ctx.runId}`,
      options.bids,
      options.auctions,
      options.output,
      String(options.events),
      String(options.warmupEvents),
      String(COMMIT_INTERVAL_MS),
      stateDir,
    ];
    const { stdout, stderr, code } = await new Promise<{
      stdout: string;
      stderr: string;
      code: number | null;
    }>((resolve, reject) => {
      const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.on('error', reject);
      child.on('close', (c) => resolve({ stdout: out, stderr: err, code: c }));
    });
    const line = stdout
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    if (code !== 0 || line === undefined) {
      throw new Error(
        `Kafka Streams ${options.topology} exited with ${code}${code === null ? ` (killed after ${KSTREAMS_TIMEOUT_MS / 1000} s)` : ''}: ${problems(stderr)}`,
      );
    }
    const r = JSON.parse(line) as { events: number; cpuSeconds: number; wallSeconds: number };
    return {
      topology: options.topology,
      events: r.events,
      cpuSeconds: r.cpuSeconds,
      wallSeconds: r.wallSeconds,
      eventsPerCpuSecond: r.events / r.cpuSeconds,
    };
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}
