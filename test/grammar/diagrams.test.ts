import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { grammarDiagramsHtml, writeGrammarDiagrams } from '../../grammar/write-diagrams.js';

const diagramsPath = fileURLToPath(new URL('../../docs/grammar.html', import.meta.url));

describe('docs/grammar.html', () => {
  it('matches the grammar (UPDATE_GOLDEN=1 rewrites it)', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeGrammarDiagrams(diagramsPath);
    expect(existsSync(diagramsPath)).toBe(true);
    expect(readFileSync(diagramsPath, 'utf8')).toBe(grammarDiagramsHtml());
  });

  it('draws every statement rule', () => {
    const html = grammarDiagramsHtml();
    for (const rule of [
      'createStatement',
      'insertStatement',
      'query',
      'windowExpression',
      'expression',
      'type',
    ]) {
      expect(html).toContain(`"name": "${rule}"`);
    }
  });
});
