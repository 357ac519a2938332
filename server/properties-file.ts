/**
 * A server properties file (`--config`), as ksqlDB's `ksql-server.properties`: `name=value`
 * lines (or `name: value`), `#` and `!` comments, blank lines. Line continuations and
 * escapes of Java's full format are not supported.
 */
import { readFileSync } from 'node:fs';

export function parseProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const separator = line.search(/[=:]/);
    if (separator < 0) {
      properties[line] = '';
      continue;
    }
    properties[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return properties;
}

export function readPropertiesFile(path: string): Record<string, string> {
  return parseProperties(readFileSync(path, 'utf8'));
}
