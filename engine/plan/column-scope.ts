/**
 * Name resolution for expressions over a flat row: a column by name, optionally qualified
 * with the source name or its alias.
 */

import type { Expression } from '../../parser/ast.js';
import { formatExpression } from '../../parser/format.js';
import type { SqlType } from '../catalog/types.js';
import type { PlanColumn } from './physical-plan.js';

export interface ResolvedColumn {
  readonly index: number;
  readonly type: SqlType;
}

export class ColumnScope {
  private readonly byName = new Map<string, ResolvedColumn>();

  /**
   * @param computed whole expressions already computed into the row (table function calls
   *   after a flat-map step), by their text, with the column that holds them.
   */
  constructor(
    readonly columns: readonly PlanColumn[],
    private readonly qualifiers: readonly string[],
    private readonly computed: ReadonlyMap<string, ResolvedColumn> = new Map(),
  ) {
    columns.forEach((c, index) => {
      if (!this.byName.has(c.name)) this.byName.set(c.name, { index, type: c.type });
    });
  }

  resolveExpression(expression: Expression): ResolvedColumn | undefined {
    if (this.computed.size === 0 || (expression.kind === 'ColumnRef' && this.byName.has(expression.name)))
      return undefined;
    return this.computed.get(formatExpression(expression));
  }

  resolveColumn(source: string | undefined, name: string): ResolvedColumn | undefined {
    if (source !== undefined && !this.qualifiers.includes(source)) return undefined;
    return this.byName.get(name);
  }
}
