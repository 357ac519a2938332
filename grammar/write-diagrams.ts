/**
 * Railroad diagrams of the grammar (docs/grammar.html), generated from the parser itself so
 * they cannot drift; test/grammar/diagrams.test.ts fails when the file is stale and rewrites it
 * with UPDATE_GOLDEN=1.
 */
import { writeFileSync } from 'node:fs';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { grammarProductions } from './index.js';

/** The diagrams page as HTML (it loads chevrotain's diagram scripts from a CDN). */
export function grammarDiagramsHtml(): string {
  return createSyntaxDiagramsCode(grammarProductions());
}

export function writeGrammarDiagrams(path: string): void {
  writeFileSync(path, grammarDiagramsHtml());
}
