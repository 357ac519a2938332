import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A command-line mistake: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The test files named by PATH arguments: a file as given, a folder as every `*.json` file
 * inside it, recursively, in sorted order so runs are repeatable. Duplicates are dropped.
 */
export async function findTestFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${path}`);
    if (info.isDirectory()) files.push(...(await jsonFilesUnder(path)));
    else files.push(path);
  }
  return [...new Set(files)];
}

async function jsonFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await jsonFilesUnder(path)));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) files.push(path);
  }
  return files;
}
