import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cstTypesSource, writeCstTypes } from '../../grammar/write-cst-types.js';

const cstTypesPath = fileURLToPath(new URL('../../grammar/cst.d.ts', import.meta.url));

describe('grammar/cst.d.ts', () => {
  it('matches the grammar (UPDATE_GOLDEN=1 rewrites it)', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeCstTypes(cstTypesPath);
    expect(existsSync(cstTypesPath)).toBe(true);
    expect(readFileSync(cstTypesPath, 'utf8')).toBe(cstTypesSource());
  });
});
