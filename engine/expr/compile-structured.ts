/**
 * Structured values: `s->field`, `a[i]` / `m[k]`, and the ARRAY[...], MAP(...) and STRUCT(...)
 * constructors, whose elements take a common type by ksqlDB's list rules (user-list.ts).
 */
import type {
  CreateArray,
  CreateMap,
  CreateStruct,
  Dereference,
  Expression,
  Subscript,
} from '../../parser/ast.js';
import { canImplicitlyCast } from '../catalog/type-rules.js';
import { formatType, isPrimitiveType, type SqlType, structType, typesEqual } from '../catalog/types.js';
import { coerceValue } from '../catalog/value-coerce.js';
import { mapGet, valuesEqual } from '../catalog/value-compare.js';
import type { SqlStruct, SqlValue } from '../catalog/values.js';
import { type CompileContext, fold, type TypedNode } from './compile-context.js';
import { expressionText } from './expression-text.js';
import { exprMessages } from './messages.js';
import { coerceLiteral, coerceUserList } from './user-list.js';

/** A typed operand, failing on the untyped NULL literal with the message `nullMessage` gives. */
function typed(ctx: CompileContext, e: Expression, node: TypedNode, nullMessage: () => string): SqlType {
  if (node.type === null) return ctx.fail(e, nullMessage());
  return node.type;
}

export function compileDereference(ctx: CompileContext, e: Dereference): TypedNode {
  const base = ctx.node(e.base);
  const type = base.type;
  if (type === null || type.kind !== 'STRUCT') {
    return ctx.fail(e, exprMessages.notAStruct(type === null ? 'null' : formatType(type)));
  }
  const field = type.fields.find((f) => f.name === e.field);
  if (field === undefined)
    return ctx.fail(e, exprMessages.unknownStructField(e.field, expressionText(e.base)));
  const name = field.name;
  const evaluate = base.evaluate;
  return {
    type: field.type,
    evaluate: (row) => {
      const struct = evaluate(row);
      return struct === null ? null : ((struct as SqlStruct)[name] ?? null);
    },
  };
}

export function compileSubscript(ctx: CompileContext, e: Subscript): TypedNode {
  const base = ctx.node(e.base);
  const index = ctx.node(e.index);
  const type = base.type;
  const at = base.evaluate;
  if (type?.kind === 'ARRAY') {
    const indexType = index.type;
    if (indexType !== null && indexType.kind !== 'INTEGER' && indexType.kind !== 'BIGINT') {
      return ctx.fail(e.index, exprMessages.arrayIndexType(expressionText(e.index), formatType(indexType)));
    }
    const position = index.evaluate;
    return {
      type: type.element,
      evaluate: (row) => {
        const array = at(row) as readonly SqlValue[] | null;
        const i = position(row);
        if (array === null || i === null) return null;
        // 1-based; negative counts from the end; out of range is null (ksqlDB's ArrayAccess).
        const n = Number(i);
        const offset = n >= 0 ? n - 1 : array.length + n;
        return offset >= 0 && offset < array.length ? (array[offset] ?? null) : null;
      },
    };
  }
  if (type?.kind === 'MAP') {
    const keyType = type.key;
    let key = index.evaluate;
    if (index.type !== null && !typesEqual(index.type, keyType)) {
      const from = index.type;
      const literalKey =
        index.constant === undefined ? undefined : coerceLiteral(index.constant.value, from, keyType);
      if (literalKey !== undefined) {
        key = () => literalKey;
      } else if (canImplicitlyCast(from, keyType)) {
        const raw = key;
        key = (row) => coerceValue(raw(row), from, keyType);
      } else {
        // ksqlDB does not type-check map keys: a key of another type finds nothing (Java's Map.get).
        return { type: type.value, evaluate: () => null };
      }
    }
    const lookup = isPrimitiveType(keyType) && keyType.kind !== 'BYTES' ? plainGet : mapGet;
    return {
      type: type.value,
      evaluate: (row) => {
        const map = at(row) as ReadonlyMap<SqlValue, SqlValue> | null;
        if (map === null) return null;
        return lookup(map, key(row)) ?? null;
      },
    };
  }
  const hint = type?.kind === 'STRUCT' ? `${expressionText(e.base)}->${expressionText(e.index)}` : undefined;
  return ctx.fail(
    e,
    exprMessages.subscriptNotApplicable(expressionText(e), type === null ? 'null' : formatType(type), hint),
  );
}

function plainGet(map: ReadonlyMap<SqlValue, SqlValue>, key: SqlValue): SqlValue | undefined {
  return map.get(key);
}

export function compileArray(ctx: CompileContext, e: CreateArray): TypedNode {
  if (e.elements.length === 0) return ctx.fail(e, exprMessages.emptyArray());
  const coerced = coerceUserList(
    ctx,
    e.elements.map((expression) => ({ expression, node: ctx.node(expression) })),
    'type-check',
  );
  if (coerced.type === null) return ctx.fail(e, exprMessages.allNullArray());
  const elements = coerced.nodes.map((n, i) => ctx.orNull(n.evaluate, e.elements[i]!));
  const n = elements.length;
  return fold(
    {
      type: { kind: 'ARRAY', element: coerced.type },
      evaluate: (row) => {
        const array: SqlValue[] = new Array(n);
        for (let i = 0; i < n; i++) array[i] = elements[i]!(row);
        return array;
      },
    },
    coerced.nodes,
  );
}

export function compileMap(ctx: CompileContext, e: CreateMap): TypedNode {
  if (e.entries.length === 0) return ctx.fail(e, exprMessages.emptyMap());
  const keys = coerceUserList(
    ctx,
    e.entries.map((x) => ({ expression: x.key, node: ctx.node(x.key) })),
    'type-check',
  );
  if (keys.type === null) return ctx.fail(e, exprMessages.allNullMapKeys());
  const values = coerceUserList(
    ctx,
    e.entries.map((x) => ({ expression: x.value, node: ctx.node(x.value) })),
    'type-check',
  );
  if (values.type === null) return ctx.fail(e, exprMessages.allNullMapValues());
  const keyEvaluators = keys.nodes.map((n, i) => ctx.orNull(n.evaluate, e.entries[i]!.key));
  const valueEvaluators = values.nodes.map((n, i) => ctx.orNull(n.evaluate, e.entries[i]!.value));
  const byValue = !isPrimitiveType(keys.type) || keys.type.kind === 'BYTES';
  return fold(
    {
      type: { kind: 'MAP', key: keys.type, value: values.type },
      evaluate: (row) => {
        const map = new Map<SqlValue, SqlValue>();
        for (let i = 0; i < keyEvaluators.length; i++) {
          let key = keyEvaluators[i]!(row);
          // A later entry replaces an earlier one with an equal key, as Java's HashMap.put does.
          if (byValue && key !== null) {
            for (const existing of map.keys()) {
              if (valuesEqual(existing, key)) {
                key = existing;
                break;
              }
            }
          }
          map.set(key, valueEvaluators[i]!(row));
        }
        return map;
      },
    },
    [...keys.nodes, ...values.nodes],
  );
}

export function compileStruct(ctx: CompileContext, e: CreateStruct): TypedNode {
  const fields = e.fields.map((f) => {
    const node = ctx.node(f.value);
    return { name: f.name, node: node, evaluate: ctx.orNull(node.evaluate, f.value) };
  });
  let type: SqlType;
  try {
    type = structType(
      fields.map((f) => ({
        name: f.name,
        type: typed(ctx, e, f.node, () => exprMessages.structFieldNull(f.name)),
      })),
    );
  } catch (error) {
    return ctx.fail(e, (error as Error).message);
  }
  return fold(
    {
      type,
      evaluate: (row) => {
        const struct: Record<string, SqlValue> = Object.create(null);
        for (const field of fields) struct[field.name] = field.evaluate(row);
        return struct;
      },
    },
    fields.map((f) => f.node),
  );
}
