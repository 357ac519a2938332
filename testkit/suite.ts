import { type ExpandedCase, expandTestFile } from './expand.js';
import { loadTestFile, TestFileError } from './qtt-loader.js';
import type { QttFile } from './qtt-model.js';

export interface LoadedSuite {
  files: QttFile[];
  cases: ExpandedCase[];
  /** Files that could not be loaded or expanded; each one is reported, the rest still run. */
  brokenFiles: TestFileError[];
  /** Tests with `enabled: false`, which expand to no case. */
  disabledTests: number;
}

/** Loads and expands the given test files; a broken file does not stop the others. */
export async function loadSuite(paths: readonly string[]): Promise<LoadedSuite> {
  const suite: LoadedSuite = { files: [], cases: [], brokenFiles: [], disabledTests: 0 };
  for (const path of paths) {
    try {
      const file = await loadTestFile(path);
      const cases = expandTestFile(file);
      suite.files.push(file);
      suite.cases.push(...cases);
      suite.disabledTests += file.tests.filter((test) => !test.enabled).length;
    } catch (err) {
      if (!(err instanceof TestFileError)) throw err;
      suite.brokenFiles.push(err);
    }
  }
  return suite;
}
