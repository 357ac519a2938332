import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../../kafka/project-paths.js';

/**
 * ksqlDB's conformance files live outside the project (they are under the Confluent
 * Community License and are read at test time, never copied in): `../shared/conformance/ksql`
 * next to the checkout, or wherever SLUICE_CONFORMANCE_DIR points.
 */
export function conformanceDir(): string {
  const fromEnv = process.env.SLUICE_CONFORMANCE_DIR;
  return resolve(
    fromEnv !== undefined && fromEnv !== ''
      ? fromEnv
      : join(projectRoot(), '..', 'shared', 'conformance', 'ksql'),
  );
}

/**
 * Why the conformance tests cannot run here, or undefined when the folder is present. Under
 * CI=true a missing folder throws: CI must never pass by skipping them.
 */
export function conformanceUnavailable(): string | undefined {
  const dir = conformanceDir();
  if (existsSync(join(dir, 'query-validation-tests'))) return undefined;
  const message = `the conformance folder ${dir} does not exist (set SLUICE_CONFORMANCE_DIR to point at it)`;
  if (process.env.CI === 'true') throw new Error(message);
  return message;
}
