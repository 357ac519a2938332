import { describe, expect, it } from 'vitest';
import { completionsAfter } from '../../parser/index.js';

describe('completion', () => {
  it('offers the statements at the start', () => {
    const c = completionsAfter('');
    expect(c.keywords).toEqual(
      expect.arrayContaining(['SELECT', 'CREATE', 'SHOW', 'DESCRIBE', 'INSERT', 'DROP']),
    );
    expect(c.name).toBe(false);
  });

  it('offers what may follow a keyword', () => {
    expect(completionsAfter('SHOW ').keywords).toEqual(
      expect.arrayContaining(['STREAMS', 'TABLES', 'TOPICS', 'QUERIES', 'PROPERTIES', 'FUNCTIONS']),
    );
    expect(completionsAfter('CREATE STREAM ').keywords).toContain('IF');
  });

  it('knows where a name goes', () => {
    const c = completionsAfter('SELECT * FROM ');
    expect(c.name).toBe(true);
    expect(completionsAfter('SELECT * FROM orders ').keywords).toEqual(
      expect.arrayContaining(['WHERE', 'EMIT', 'JOIN', 'LEFT', 'WINDOW', 'LIMIT', 'GROUP', 'PARTITION']),
    );
  });

  it('looks only at the statement being typed', () => {
    expect(completionsAfter('SHOW STREAMS; DROP ').keywords).toEqual(
      expect.arrayContaining(['STREAM', 'TABLE', 'TYPE', 'CONNECTOR']),
    );
    expect(completionsAfter("SET 'a'").punctuation).toEqual(['=']);
  });
});
