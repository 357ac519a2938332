import { describe, expect, it } from 'vitest';
import { completeLine, isCompleteInput, StatementBuffer } from '../../repl/shell.js';

describe('statement buffering', () => {
  it('collects lines until one ends the statement', () => {
    const buffer = new StatementBuffer();
    expect(buffer.push('CREATE STREAM S (A INT)')).toBeUndefined();
    expect(buffer.pending).toBe(true);
    expect(buffer.push("  WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")).toBe(
      "CREATE STREAM S (A INT)\n  WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);",
    );
    expect(buffer.pending).toBe(false);
  });

  it('does not end a statement at a semicolon inside a string or comment', () => {
    const buffer = new StatementBuffer();
    expect(buffer.push("INSERT INTO S (A) VALUES ('a;")).toBeUndefined();
    expect(buffer.push("b'); -- done;")).toBe("INSERT INTO S (A) VALUES ('a;\nb'); -- done;");
    expect(isCompleteInput('SELECT * FROM S /* ; */')).toBe(false);
  });

  it('takes several statements on one line', () => {
    expect(new StatementBuffer().push('SHOW STREAMS; SHOW TABLES;')).toBe('SHOW STREAMS; SHOW TABLES;');
  });

  it('lets shell commands omit the semicolon', () => {
    for (const command of ['exit', 'QUIT', 'help', 'output json', 'OUTPUT TABULAR;', 'output'])
      expect(isCompleteInput(command)).toBe(true);
    expect(isCompleteInput('SHOW STREAMS')).toBe(false);
    expect(isCompleteInput('   ')).toBe(true);
  });

  it('hands back an unfinished statement when drained', () => {
    const buffer = new StatementBuffer();
    expect(buffer.push('SHOW')).toBeUndefined();
    expect(buffer.push('STREAMS')).toBeUndefined();
    expect(buffer.drain()).toBe('SHOW\nSTREAMS');
    expect(buffer.pending).toBe(false);
  });
});

describe('tab completion', () => {
  it('offers the keywords the grammar allows next, in the case typed', () => {
    expect(completeLine('SHOW STR')).toEqual([['STREAMS'], 'STR']);
    expect(completeLine('show str')).toEqual([['streams'], 'str']);
    const [afterSelect] = completeLine('SELECT * ');
    expect(afterSelect).toContain('FROM');
  });
});
