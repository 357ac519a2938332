/**
 * The catalog: streams and tables, custom types, and the persistent queries that read and
 * write them. It is rebuilt by replaying statements (the command topic), so it holds only
 * what those statements determine; running state lives in the engine.
 */
import { StatementError } from '../errors.js';
import type { DataSource } from './data-source.js';
import type { SqlType } from './types.js';

export interface QueryInfo {
  readonly id: string;
  readonly sqlText: string;
  /** The source it writes; undefined for none. */
  readonly sink: string;
  readonly sources: readonly string[];
}

export class MetaStore {
  private readonly sources = new Map<string, DataSource>();
  private readonly types = new Map<string, SqlType>();
  private readonly queries = new Map<string, QueryInfo>();

  /** Replaces this catalog's contents with a copy of `other`'s (entries are immutable, so shared). */
  copyFrom(other: MetaStore): void {
    for (const [mine, theirs] of [
      [this.sources, other.sources],
      [this.types, other.types],
      [this.queries, other.queries],
    ] as const) {
      mine.clear();
      for (const [k, v] of theirs) (mine as Map<string, unknown>).set(k, v);
    }
  }

  source(name: string): DataSource | undefined {
    return this.sources.get(name);
  }

  requireSource(name: string): DataSource {
    const source = this.sources.get(name);
    if (source === undefined) throw new StatementError(`${name} does not exist.`);
    return source;
  }

  allSources(): readonly DataSource[] {
    return [...this.sources.values()];
  }

  putSource(source: DataSource): void {
    this.sources.set(source.name, source);
  }

  deleteSource(name: string): void {
    this.sources.delete(name);
  }

  /** The source whose topic this is, preferring one that was declared over a topic (not a sink). */
  sourceForTopic(topic: string): DataSource | undefined {
    let found: DataSource | undefined;
    for (const source of this.sources.values()) {
      if (source.topic !== topic) continue;
      if (
        found === undefined ||
        (found.createdByQuery !== undefined && source.createdByQuery === undefined)
      ) {
        found = source;
      }
    }
    return found;
  }

  type(name: string): SqlType | undefined {
    return this.types.get(name);
  }

  allTypes(): ReadonlyMap<string, SqlType> {
    return this.types;
  }

  putType(name: string, type: SqlType): void {
    this.types.set(name, type);
  }

  deleteType(name: string): boolean {
    return this.types.delete(name);
  }

  query(id: string): QueryInfo | undefined {
    return this.queries.get(id);
  }

  allQueries(): readonly QueryInfo[] {
    return [...this.queries.values()];
  }

  putQuery(query: QueryInfo): void {
    this.queries.set(query.id, query);
  }

  deleteQuery(id: string): void {
    this.queries.delete(id);
  }

  /** Queries that read (as a source) the named source. */
  readersOf(name: string): QueryInfo[] {
    return this.allQueries().filter((q) => q.sources.includes(name));
  }

  /** Queries that write into the named source. */
  writersOf(name: string): QueryInfo[] {
    return this.allQueries().filter((q) => q.sink === name);
  }
}
