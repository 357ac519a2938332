#!/usr/bin/env node
// The `sluice` executable: runs the compiled CLI from dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error(
    'sluice: dist/ is missing; run `npm install` (or `npm run build`) in the Sluice checkout first.',
  );
  process.exit(1);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
