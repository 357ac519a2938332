import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Sluice checkout (or installed package) this code runs from. Found by walking up from
 * this file, because the same module runs from its TypeScript source under vitest and from
 * dist/ when built, at different depths.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sluice') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the Sluice package root above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Where downloaded artifacts and local state live unless SLUICE_HOME says otherwise. */
export function sluiceHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLUICE_HOME ?? join(projectRoot(), '.cache');
}
