/**
 * The materialized state of one table: its rows by key (and window, for a windowed table), as
 * the flat rows a query over the table sees (key, value and header columns, then ROWTIME,
 * ROWPARTITION, ROWOFFSET, and WINDOWSTART/WINDOWEND when windowed).
 *
 * This in-memory index answers key lookups and scans without any DuckDB round trip; it is
 * kept in step with the table's changelog topic by a TableMaterializer.
 */
import type { DataSource } from '../catalog/data-source.js';
import { rowKey } from '../catalog/value-compare.js';
import type { SqlValue } from '../catalog/values.js';
import type { SourceStep } from '../plan/physical-plan.js';
import type { WindowBounds } from '../serde/windowed-key.js';

export interface MaterializedRow {
  /** The key columns' values. */
  readonly key: readonly SqlValue[];
  /** The flat row, in the order of the source step's columns. */
  readonly values: readonly SqlValue[];
  readonly window?: WindowBounds;
}

export class MaterializedTable {
  /** Key text -> window text ('' when unwindowed) -> row. */
  private readonly rows = new Map<string, Map<string, MaterializedRow>>();
  private count = 0;

  constructor(
    readonly source: DataSource,
    readonly step: SourceStep,
  ) {}

  get windowed(): boolean {
    return this.source.keyFormat.window !== undefined;
  }

  get size(): number {
    return this.count;
  }

  upsert(row: MaterializedRow): void {
    const keyText = rowKey(row.key);
    let windows = this.rows.get(keyText);
    if (windows === undefined) {
      windows = new Map();
      this.rows.set(keyText, windows);
    }
    const windowText = windowKey(row.window);
    if (!windows.has(windowText)) this.count++;
    windows.set(windowText, row);
  }

  delete(key: readonly SqlValue[], window: WindowBounds | undefined): void {
    const keyText = rowKey(key);
    const windows = this.rows.get(keyText);
    if (windows === undefined) return;
    if (windows.delete(windowKey(window))) this.count--;
    if (windows.size === 0) this.rows.delete(keyText);
  }

  /** Every row of the key (one per window for a windowed table). */
  get(key: readonly SqlValue[]): Iterable<MaterializedRow> {
    return this.rows.get(rowKey(key))?.values() ?? [];
  }

  *scan(): Iterable<MaterializedRow> {
    for (const windows of this.rows.values()) yield* windows.values();
  }

  clear(): void {
    this.rows.clear();
    this.count = 0;
  }
}

function windowKey(window: WindowBounds | undefined): string {
  return window === undefined ? '' : `${window.start}/${window.end}`;
}
