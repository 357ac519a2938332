/**
 * Name resolution over a joined row (join-plan.ts): `alias.column` finds the column in that
 * source; an unqualified name finds the one source that has it (a name two sources share is
 * ambiguous); the synthetic key column is found by its name. The join key slot at the end of
 * the row is reachable only through `JOIN_KEY_REF`, which no user can write.
 */
import type { ColumnRef, Expression } from '../../parser/ast.js';
import type { SqlType } from '../catalog/types.js';
import { StatementError } from '../errors.js';
import type { ExpressionScope, ResolvedColumn } from '../expr/compile-context.js';
import type { JoinSource } from './join-plan.js';
import type { PlanColumn } from './physical-plan.js';

/** The name of the join key slot, the joined row's last column. */
export const JOIN_KEY_SLOT = '$JOIN_KEY';
export const JOIN_KEY_REF: ColumnRef = Object.freeze({ kind: 'ColumnRef', name: JOIN_KEY_SLOT });

export interface ResolvedJoinColumn extends ResolvedColumn {
  /** The source the column belongs to; -1 for the key slot. */
  readonly source: number;
  readonly name: string;
}

export class JoinScope implements ExpressionScope {
  readonly keyIndex: number;

  constructor(
    readonly sources: readonly JoinSource[],
    /** The key slot's type. */
    readonly keyType: SqlType,
    /** The name the synthetic key answers to, when the join has one. */
    readonly syntheticKeyName?: string,
  ) {
    const last = sources[sources.length - 1]!;
    this.keyIndex = last.offset + last.step.columns.length;
  }

  /** The joined row's columns: each source's prefixed with its alias, then the key slot. */
  columns(): PlanColumn[] {
    const columns: PlanColumn[] = [];
    for (const s of this.sources) {
      for (const c of s.step.columns) columns.push({ name: `${s.alias}_${c.name}`, type: c.type });
    }
    columns.push({ name: this.syntheticKeyName ?? JOIN_KEY_SLOT, type: this.keyType });
    return columns;
  }

  /** The source a qualifier names (its alias, or its name when it has no alias). */
  sourceIndex(qualifier: string): number {
    return this.sources.findIndex((s) => s.alias === qualifier || s.step.qualifiers.includes(qualifier));
  }

  resolve(qualifier: string | undefined, name: string): ResolvedJoinColumn | undefined {
    if (qualifier === undefined && (name === JOIN_KEY_SLOT || name === this.syntheticKeyName)) {
      return { index: this.keyIndex, type: this.keyType, source: -1, name };
    }
    if (qualifier !== undefined) {
      const i = this.sourceIndex(qualifier);
      if (i < 0)
        throw new StatementError(
          `Failed to prepare statement: '${qualifier}' is not a valid stream/table name or alias.`,
        );
      return this.inSource(i, name);
    }
    const found: ResolvedJoinColumn[] = [];
    for (let i = 0; i < this.sources.length; i++) {
      const c = this.inSource(i, name);
      if (c !== undefined) found.push(c);
    }
    if (found.length > 1) {
      throw new StatementError(
        `Column '${name}' is ambiguous. Could be any of: ${found.map((c) => `${this.sources[c.source]!.alias}.${name}`).join(', ')}`,
      );
    }
    return found[0];
  }

  resolveColumn(source: string | undefined, name: string): ResolvedColumn | undefined {
    return this.resolve(source, name);
  }

  /** How many sources have a column of this name. */
  countSources(name: string): number {
    return this.sources.filter((s) => s.step.columns.some((c) => c.name === name)).length;
  }

  /**
   * The name a selected column reference gets in the output: the column's own name when one
   * source has it, else prefixed with its source's alias (L_ID), as ksqlDB names them.
   */
  outputName(ref: ColumnRef): string {
    const resolved = this.resolve(ref.source, ref.name);
    if (resolved === undefined || resolved.source < 0) return ref.name;
    return this.countSources(ref.name) > 1 ? `${this.sources[resolved.source]!.alias}_${ref.name}` : ref.name;
  }

  /** A column reference's text qualified with its source's alias (messages: `L.A`). */
  qualify(e: Expression): Expression {
    if (e.kind !== 'ColumnRef') return e;
    const resolved = this.resolve(e.source, e.name);
    if (resolved === undefined || resolved.source < 0) return e;
    return { ...e, source: this.sources[resolved.source]!.alias };
  }

  private inSource(i: number, name: string): ResolvedJoinColumn | undefined {
    const s = this.sources[i]!;
    const at = s.step.columns.findIndex((c) => c.name === name);
    if (at < 0) return undefined;
    return { index: s.offset + at, type: s.step.columns[at]!.type, source: i, name };
  }
}
