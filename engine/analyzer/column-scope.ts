/**
 * Name resolution for expressions over a flat row: a column by name, optionally qualified
 * with the source name or its alias.
 */

import type { SqlType } from '../catalog/types.js';
import type { PlanColumn } from '../plan/physical-plan.js';

export interface ResolvedColumn {
  readonly index: number;
  readonly type: SqlType;
}

export class ColumnScope {
  private readonly byName = new Map<string, ResolvedColumn>();

  constructor(
    readonly columns: readonly PlanColumn[],
    private readonly qualifiers: readonly string[],
  ) {
    columns.forEach((c, index) => {
      if (!this.byName.has(c.name)) this.byName.set(c.name, { index, type: c.type });
    });
  }

  resolveColumn(source: string | undefined, name: string): ResolvedColumn | undefined {
    if (source !== undefined && !this.qualifiers.includes(source)) return undefined;
    return this.byName.get(name);
  }
}
