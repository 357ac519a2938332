import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { probeKafka } from './kafka-probe.js';
import { projectRoot, sluiceHome } from './project-paths.js';

const execFileAsync = promisify(execFile);

/** Where and how the local broker runs. Every field has a default; see {@link localBrokerConfig}. */
export interface LocalBrokerConfig {
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  /** The broker's own folder: server.properties, pid file, data/ and logs/. */
  readonly dir: string;
  /** The shared folder of downloaded jars, one per Kafka version. */
  readonly libsDir: string;
  readonly heap: string;
}

export type LocalBrokerStatus =
  | { readonly state: 'running'; readonly pid: number }
  | { readonly state: 'starting'; readonly pid: number }
  | { readonly state: 'stopped' }
  | { readonly state: 'dead'; readonly pid: number }
  | { readonly state: 'foreign' };

/** A problem the user fixes by installing something or changing configuration. */
export class BrokerSetupError extends Error {
  override readonly name = 'BrokerSetupError';
}

const MIN_JAVA = 17;
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

export function kafkaVersion(): string {
  const pom = readFileSync(join(projectRoot(), 'kafka', 'pom.xml'), 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  if (!version) throw new Error('kafka/pom.xml does not pin <kafka.version>');
  return version;
}

export function localBrokerConfig(
  overrides: Partial<Pick<LocalBrokerConfig, 'port' | 'controllerPort' | 'dir'>> = {},
  env: NodeJS.ProcessEnv = process.env,
): LocalBrokerConfig {
  const home = join(sluiceHome(env), 'kafka');
  const port = overrides.port ?? intFrom(env.SLUICE_KAFKA_PORT, 'SLUICE_KAFKA_PORT') ?? 9092;
  return {
    host: 'localhost',
    port,
    controllerPort:
      overrides.controllerPort ??
      intFrom(env.SLUICE_KAFKA_CONTROLLER_PORT, 'SLUICE_KAFKA_CONTROLLER_PORT') ??
      port + 1,
    dir: overrides.dir ?? env.SLUICE_KAFKA_DIR ?? join(home, `broker-${port}`),
    libsDir: join(home, `libs-${kafkaVersion()}`),
    heap: env.SLUICE_KAFKA_HEAP ?? '1g',
  };
}

function intFrom(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0 || n > 65_535)
    throw new BrokerSetupError(`${name} must be a port number, got '${text}'`);
  return n;
}

/**
 * A single-node Apache Kafka (KRaft, combined broker and controller) run from jars that Maven
 * fetches from Maven Central. The broker is a separate, detached JVM, so it outlives the
 * command that started it; a pid file ties it to its folder.
 */
export class LocalKafkaBroker {
  constructor(readonly config: LocalBrokerConfig) {}

  get bootstrapServers(): string {
    return `${this.config.host}:${this.config.port}`;
  }
  get logFile(): string {
    return join(this.config.dir, 'logs', 'server.log');
  }
  private get pidFile(): string {
    return join(this.config.dir, 'broker.pid');
  }
  private get dataDir(): string {
    return join(this.config.dir, 'data');
  }
  private get propertiesFile(): string {
    return join(this.config.dir, 'server.properties');
  }

  async status(): Promise<LocalBrokerStatus> {
    const pid = this.recordedPid();
    const answers = await probeKafka(this.config.host, this.config.port);
    if (pid === undefined) return answers ? { state: 'foreign' } : { state: 'stopped' };
    if (!this.isOurProcess(pid)) return { state: 'dead', pid };
    return answers ? { state: 'running', pid } : { state: 'starting', pid };
  }

  /** Starts the broker unless it already runs; resolves once it serves requests. */
  async start(log: (line: string) => void = () => {}): Promise<{ alreadyRunning: boolean; pid: number }> {
    const before = await this.status();
    if (before.state === 'running') return { alreadyRunning: true, pid: before.pid };
    if (before.state === 'starting') {
      await this.waitUntilReady(before.pid);
      return { alreadyRunning: true, pid: before.pid };
    }
    if (before.state === 'foreign') {
      throw new BrokerSetupError(
        `something that this checkout did not start already answers on ${this.bootstrapServers}; ` +
          'stop it, pick another port (--port / SLUICE_KAFKA_PORT), or use it with SLUICE_BOOTSTRAP_SERVERS',
      );
    }
    await checkJava();
    await this.install(log);
    mkdirSync(join(this.config.dir, 'logs'), { recursive: true });
    this.writeConfiguration();
    await this.formatStorageOnce(log);
    const child = this.spawnBroker();
    const pid = child.pid;
    if (pid === undefined) throw new Error('the broker process did not start (no pid)');
    writeFileSync(this.pidFile, `${pid}\n`);
    log(
      `started Kafka ${kafkaVersion()} (pid ${pid}); waiting for it to serve requests on ${this.bootstrapServers}`,
    );
    await this.waitUntilReady(pid);
    return { alreadyRunning: false, pid };
  }

  /** Stops the broker; resolves once the process is gone. Returns false if nothing ran. */
  async stop(): Promise<boolean> {
    const pid = this.recordedPid();
    if (pid === undefined) return false;
    if (!this.isOurProcess(pid)) {
      rmSync(this.pidFile, { force: true });
      return false;
    }
    process.kill(pid, 'SIGTERM');
    if (!(await waitFor(() => !this.isOurProcess(pid), STOP_TIMEOUT_MS))) {
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !this.isOurProcess(pid), 5_000);
    }
    rmSync(this.pidFile, { force: true });
    return true;
  }

  /** Fetches the broker's jars with Maven, once per Kafka version. */
  async install(log: (line: string) => void = () => {}): Promise<void> {
    const marker = join(this.config.libsDir, '.complete');
    if (existsSync(marker)) return;
    await checkMaven();
    const staging = `${this.config.libsDir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    log(`fetching Apache Kafka ${kafkaVersion()} from Maven Central (once) into ${this.config.libsDir}`);
    try {
      await execFileAsync(
        'mvn',
        [
          '-q',
          '-B',
          '-f',
          join(projectRoot(), 'kafka', 'pom.xml'),
          'dependency:copy-dependencies',
          `-DoutputDirectory=${staging}`,
          '-DincludeScope=runtime',
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
    } catch (err) {
      const output = (err as { stdout?: string; stderr?: string }).stdout ?? '';
      throw new BrokerSetupError(`Maven could not fetch Kafka ${kafkaVersion()}: ${lastLines(output, 15)}`);
    }
    writeFileSync(join(staging, '.complete'), `${kafkaVersion()}\n`);
    rmSync(this.config.libsDir, { recursive: true, force: true });
    renameSync(staging, this.config.libsDir);
  }

  private recordedPid(): number | undefined {
    if (!existsSync(this.pidFile)) return undefined;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** True if pid is alive and is this folder's broker, not an unrelated process reusing the pid. */
  private isOurProcess(pid: number): boolean {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    const cmdline = `/proc/${pid}/cmdline`;
    if (!existsSync(cmdline)) return true; // no procfs (macOS): trust the pid
    const args = readFileSync(cmdline, 'utf8').split('\0');
    return args.includes('kafka.Kafka') && args.includes(this.propertiesFile);
  }

  private writeConfiguration(): void {
    const { host, port, controllerPort } = this.config;
    // Static quorum voters rather than `format --standalone`: the port can then change between
    // runs without reformatting. One partition for the internal topics keeps a 2-core
    // development machine quick to create its first consumer group.
    const properties = {
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': `1@${host}:${controllerPort}`,
      listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${host}:${port}`,
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      'log.dirs': this.dataDir,
      'num.partitions': '1',
      'auto.create.topics.enable': 'false',
      'offsets.topic.replication.factor': '1',
      'offsets.topic.num.partitions': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'transaction.state.log.num.partitions': '1',
      'share.coordinator.state.topic.replication.factor': '1',
      'share.coordinator.state.topic.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
    };
    const text = Object.entries(properties)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
    writeFileSync(
      this.propertiesFile,
      `# Written by sluice kafka start; rewritten on every start.\n${text}\n`,
    );
    writeFileSync(
      join(this.config.dir, 'log4j2.properties'),
      [
        'status = warn',
        'appender.out.type = Console',
        'appender.out.name = out',
        'appender.out.layout.type = PatternLayout',
        'appender.out.layout.pattern = [%d] %p %m (%c)%n',
        'rootLogger.level = info',
        'rootLogger.appenderRef.out.ref = out',
        'logger.kafka.name = kafka',
        'logger.kafka.level = warn',
        'logger.kafkaserver.name = kafka.server.KafkaRaftServer',
        'logger.kafkaserver.level = info',
        'logger.apache.name = org.apache.kafka',
        'logger.apache.level = warn',
        '',
      ].join('\n'),
    );
  }

  private async formatStorageOnce(log: (line: string) => void): Promise<void> {
    if (existsSync(join(this.dataDir, 'meta.properties'))) return;
    log(`formatting KRaft storage in ${this.dataDir}`);
    try {
      await execFileAsync('java', [
        '-cp',
        join(this.config.libsDir, '*'),
        'kafka.tools.StorageTool',
        'format',
        '-t',
        randomClusterId(),
        '-c',
        this.propertiesFile,
      ]);
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      throw new Error(
        `formatting the broker's storage failed: ${lastLines(`${e.stdout ?? ''}${e.stderr ?? ''}`, 15)}`,
      );
    }
  }

  private spawnBroker(): ChildProcess {
    const out = openSync(this.logFile, 'a');
    try {
      const child = spawn(
        'java',
        [
          `-Xms256m`,
          `-Xmx${this.config.heap}`,
          '-XX:+UseG1GC',
          '-Djava.awt.headless=true',
          `-Dlog4j2.configurationFile=${join(this.config.dir, 'log4j2.properties')}`,
          `-Dkafka.logs.dir=${join(this.config.dir, 'logs')}`,
          '-cp',
          join(this.config.libsDir, '*'),
          'kafka.Kafka',
          this.propertiesFile,
        ],
        { detached: true, stdio: ['ignore', out, out] },
      );
      child.unref();
      return child;
    } finally {
      closeSync(out);
    }
  }

  private async waitUntilReady(pid: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.isOurProcess(pid)) {
        rmSync(this.pidFile, { force: true });
        throw new Error(
          `the broker exited during start-up; the end of ${this.logFile}:\n${this.logTail(20)}`,
        );
      }
      if (await probeKafka(this.config.host, this.config.port, 1_000)) return;
      await sleep(250);
    }
    throw new Error(
      `the broker did not serve requests within ${READY_TIMEOUT_MS / 1000}s; see ${this.logFile}:\n${this.logTail(20)}`,
    );
  }

  logTail(lines: number): string {
    return existsSync(this.logFile) ? lastLines(readFileSync(this.logFile, 'utf8'), lines) : '(no log yet)';
  }
}

/** A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, as Kafka's Uuid prints them. */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id; // a leading '-' reads as a flag on Kafka's command lines
  }
}

async function checkJava(): Promise<void> {
  let banner: string;
  try {
    const { stderr, stdout } = await execFileAsync('java', ['-version']);
    banner = `${stderr}${stdout}`;
  } catch {
    throw new BrokerSetupError(
      `Java ${MIN_JAVA}+ is needed to run the local Kafka broker: install a JDK (e.g. apt-get install openjdk-17-jdk-headless) or point Sluice at an existing Kafka with SLUICE_BOOTSTRAP_SERVERS`,
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(banner);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < MIN_JAVA) {
    throw new BrokerSetupError(
      `the local Kafka broker needs Java ${MIN_JAVA}+, but 'java' is version ${major || 'unknown'}: install a newer JDK or put it first on PATH`,
    );
  }
}

async function checkMaven(): Promise<void> {
  try {
    await execFileAsync('mvn', ['--version']);
  } catch {
    throw new BrokerSetupError(
      'Maven is needed once to fetch the Kafka broker from Maven Central: install it (e.g. apt-get install maven) or point Sluice at an existing Kafka with SLUICE_BOOTSTRAP_SERVERS',
    );
  }
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(100);
  }
  return condition();
}
