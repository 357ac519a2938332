import { describe, expect, it } from 'vitest';
import {
  arrayType,
  decimalType,
  mapType,
  type SqlType,
  SqlTypes,
  struct,
} from '../../../../engine/catalog/types.js';
import { BUILTIN_FUNCTIONS } from '../../../../engine/expr/functions/builtin-functions.js';
import type { ArgumentInfo } from '../../../../engine/expr/functions/function-types.js';
import { builtinFunctions } from '../../../../engine/expr/functions/registry.js';
import type { TypePattern } from '../../../../engine/expr/functions/type-pattern.js';

const GENERIC_SAMPLES: Readonly<Record<string, SqlType>> = { K: SqlTypes.STRING };

/** A concrete type a pattern accepts: generics become INTEGER (K becomes STRING). */
function sample(pattern: TypePattern): SqlType {
  switch (pattern.kind) {
    case 'PRIMITIVE':
      return pattern.type;
    case 'ANY_DECIMAL':
      return decimalType(10, 2);
    case 'ANY_STRUCT':
      return struct(['A', SqlTypes.INTEGER]);
    case 'ARRAY':
      return arrayType(sample(pattern.element));
    case 'MAP':
      return mapType(sample(pattern.key), sample(pattern.value));
    case 'GENERIC':
      return GENERIC_SAMPLES[pattern.name] ?? SqlTypes.INTEGER;
    default:
      throw new Error(`no sample for ${pattern.kind}`);
  }
}

function argumentFor(pattern: TypePattern): ArgumentInfo {
  if (pattern.kind === 'INTERVAL_UNIT') return { kind: 'unit', unit: 'DAYS' };
  if (pattern.kind === 'LAMBDA') {
    const returns = pattern.returns;
    return {
      kind: 'lambda',
      arity: pattern.params.length,
      // The body returns its first parameter's type unless the pattern fixes the result.
      typeBody: (params) => (returns.kind === 'PRIMITIVE' ? returns.type : (params[0] ?? SqlTypes.INTEGER)),
    };
  }
  return { kind: 'value', type: sample(pattern) };
}

describe('built-in declarations', () => {
  it('every signature resolves to itself from its own parameter types', () => {
    const failures: string[] = [];
    for (const definition of BUILTIN_FUNCTIONS) {
      for (const signature of definition.signatures) {
        const args = signature.params.map((p) => argumentFor(p.pattern));
        try {
          if (definition.kind === 'TABLE') builtinFunctions.resolveTable(definition.name, args);
          else builtinFunctions.resolveScalar(definition.name, args);
        } catch (e) {
          failures.push(
            `${definition.name}(${signature.params.map((p) => p.text).join(', ')}): ${(e as Error).message}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('every function has a category and a description', () => {
    for (const info of builtinFunctions.list()) {
      expect(info.category, info.name).not.toBe('');
      expect(info.description, info.name).not.toBe('');
    }
  });

  it('DESCRIBE FUNCTION lists every signature with named, typed arguments', () => {
    const substring = builtinFunctions.describe('substring');
    expect(substring?.category).toBe('STRING');
    expect(
      substring?.signatures.map((s) => s.arguments.map((a) => `${a.name} ${a.type}`).join(', ')),
    ).toEqual([
      'str STRING, pos INT',
      'str STRING, pos INT, length INT',
      'bytes BYTES, pos INT',
      'bytes BYTES, pos INT, length INT',
    ]);
    const concat = builtinFunctions.describe('CONCAT');
    expect(concat?.signatures[0]).toMatchObject({ returnType: 'STRING', variadic: true });
    expect(builtinFunctions.describe('explode')?.kind).toBe('TABLE');
    expect(builtinFunctions.describe('count')?.kind).toBe('AGGREGATE');
  });

  it('knows the aggregate names without resolving them as scalars', () => {
    for (const name of ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'COLLECT_LIST', 'TOPK', 'LATEST_BY_OFFSET']) {
      expect(builtinFunctions.isAggregate(name)).toBe(true);
      expect(builtinFunctions.isScalar(name)).toBe(false);
    }
    expect(() => builtinFunctions.resolveScalar('count', [])).toThrow(
      "Can't find any functions with the name 'COUNT'",
    );
  });
});
