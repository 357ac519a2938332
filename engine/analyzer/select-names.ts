/**
 * Output column names of SELECT items, as ksqlDB derives them: the alias; else the column
 * name of a column reference or the field name of a dereference; else KSQL_COL_n, numbered
 * in order over the items that need a generated name, skipping names already taken.
 */
import type { Expression } from '../../parser/ast.js';

export function derivedName(expression: Expression): string | undefined {
  if (expression.kind === 'ColumnRef') return expression.name;
  if (expression.kind === 'Dereference') return expression.field;
  return undefined;
}

export class SyntheticNames {
  private next = 0;
  constructor(private readonly taken: Set<string>) {}

  /** `base` if free, else the first free `base_1`, `base_2`, ...; the name is then taken. */
  unique(base: string): string {
    let name = base;
    for (let n = 1; this.taken.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }

  take(): string {
    for (;;) {
      const name = `KSQL_COL_${this.next++}`;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }
}
