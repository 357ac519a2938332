import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBStateStore } from '../../../engine/state/duckdb-state-store.js';
import { openMemoryStateStore } from '../../../engine/state/memory-state-store.js';
import { stateStoreContract } from './state-store-contract.js';

stateStoreContract('DuckDB file', true, async () => {
  const folder = await mkdtemp(join(tmpdir(), 'sluice-state-'));
  const stateDir = join(folder, 'state');
  await mkdir(stateDir);
  return {
    open: (options, location = 'main') =>
      DuckDBStateStore.open(join(stateDir, `${location}.duckdb`), options),
    wipe: async () => {
      await rm(stateDir, { recursive: true, force: true });
      await mkdir(stateDir);
    },
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
});

stateStoreContract('DuckDB :memory:', false, async () => ({
  open: (options) => openMemoryStateStore(options),
  wipe: async () => {},
  dispose: async () => {},
}));
