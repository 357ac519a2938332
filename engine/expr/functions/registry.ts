/**
 * The function registry: scalar, table and aggregate function declarations indexed by
 * upper-case name. Resolution is in function-resolver.ts; the built-in declarations are in the
 * family files listed in builtin-functions.ts and aggregate-functions.ts.
 */
import type { AggregateCallInfo, AggregateDefinition } from './aggregate-definition.js';
import type { AggregateFunctionName } from './aggregate-function-names.js';
import { BUILTIN_AGGREGATES } from './aggregate-functions.js';
import type { AggregateOptions, AggregateRegistry, ResolvedAggregateCall } from './aggregate-types.js';
import { BUILTIN_FUNCTIONS } from './builtin-functions.js';
import type { FunctionDefinition, ScalarImplementation, TableImplementation } from './function-definition.js';
import { resolveCall } from './function-resolver.js';
import {
  type ArgumentInfo,
  type FunctionInfo,
  type FunctionRegistry,
  FunctionResolutionError,
  type ResolvedScalarCall,
  type ResolvedTableCall,
} from './function-types.js';
import { formatTypePattern } from './type-pattern.js';

function unknownFunction(name: string): FunctionResolutionError {
  return new FunctionResolutionError(`Can't find any functions with the name '${name.toUpperCase()}'`);
}

function describeDefinition(definition: FunctionDefinition): FunctionInfo {
  return {
    name: definition.name,
    kind: definition.kind,
    category: definition.category,
    description: definition.description,
    signatures: definition.signatures.map((s) => ({
      arguments: s.params.map((p, i) => ({
        name: p.name,
        type: `${formatTypePattern(p.pattern)}${s.variadic && i === s.params.length - 1 ? '[]' : ''}`,
      })),
      returnType: s.returnsText,
      description: s.description || definition.description,
      variadic: s.variadic,
    })),
  };
}

function isDefinition(aggregate: AggregateFunctionName): aggregate is AggregateDefinition {
  return 'signatures' in aggregate;
}

/** An aggregate declaration in the shape the shared resolver takes. */
function asResolvable(aggregate: AggregateDefinition): FunctionDefinition {
  return {
    name: aggregate.name,
    kind: 'AGGREGATE',
    category: 'AGGREGATE',
    description: aggregate.description,
    messageName: aggregate.messageName,
    // The resolver only matches parameter lists; the implementation type is the caller's.
    signatures: aggregate.signatures as unknown as FunctionDefinition['signatures'],
  };
}

function describeAggregate(aggregate: AggregateFunctionName): FunctionInfo {
  if (isDefinition(aggregate)) return describeDefinition(asResolvable(aggregate));
  return {
    name: aggregate.name,
    kind: 'AGGREGATE',
    category: 'AGGREGATE',
    description: aggregate.description,
    signatures: [],
  };
}

type AggregateBinder = (
  call: AggregateCallInfo,
) => Omit<ResolvedAggregateCall, 'returnType' | 'parameterTypes'>;

class DeclaredFunctionRegistry implements FunctionRegistry, AggregateRegistry {
  private readonly functions = new Map<string, FunctionDefinition>();
  private readonly aggregates = new Map<string, AggregateFunctionName | AggregateDefinition>();

  constructor(
    definitions: readonly FunctionDefinition[],
    aggregates: readonly (AggregateFunctionName | AggregateDefinition)[],
  ) {
    for (const definition of definitions) {
      const existing = this.functions.get(definition.name);
      if (existing !== undefined && existing.kind !== definition.kind) {
        throw new Error(
          `Function ${definition.name} is declared as both ${existing.kind} and ${definition.kind}`,
        );
      }
      // A family may add overloads to a function another family declares (e.g. BYTES variants).
      this.functions.set(
        definition.name,
        existing === undefined
          ? definition
          : { ...existing, signatures: [...existing.signatures, ...definition.signatures] },
      );
    }
    for (const aggregate of aggregates) this.aggregates.set(aggregate.name.toUpperCase(), aggregate);
  }

  isScalar(name: string): boolean {
    return this.functions.get(name.toUpperCase())?.kind === 'SCALAR';
  }

  isAggregate(name: string): boolean {
    return this.aggregates.has(name.toUpperCase());
  }

  isTable(name: string): boolean {
    return this.functions.get(name.toUpperCase())?.kind === 'TABLE';
  }

  resolveScalar(name: string, args: readonly ArgumentInfo[]): ResolvedScalarCall {
    const definition = this.functions.get(name.toUpperCase());
    if (definition?.kind !== 'SCALAR') throw unknownFunction(name);
    const { call, implementation } = resolveCall<ScalarImplementation>(definition, args);
    return { returnType: call.returnType, parameterTypes: call.parameterTypes, invoke: implementation };
  }

  resolveTable(name: string, args: readonly ArgumentInfo[]): ResolvedTableCall {
    const definition = this.functions.get(name.toUpperCase());
    if (definition?.kind !== 'TABLE') throw unknownFunction(name);
    const { call, implementation } = resolveCall<TableImplementation>(definition, args);
    return { returnType: call.returnType, parameterTypes: call.parameterTypes, invoke: implementation };
  }

  resolveAggregate(
    name: string,
    args: readonly ArgumentInfo[],
    options: AggregateOptions = {},
  ): ResolvedAggregateCall {
    const aggregate = this.aggregates.get(name.toUpperCase());
    if (aggregate === undefined || !isDefinition(aggregate)) throw unknownFunction(name);
    const { call, implementation } = resolveCall<AggregateBinder>(asResolvable(aggregate), args);
    const bound = implementation({ ...call, options });
    return { ...bound, returnType: call.returnType, parameterTypes: call.parameterTypes };
  }

  list(): readonly FunctionInfo[] {
    const all = [
      ...[...this.functions.values()].map(describeDefinition),
      ...[...this.aggregates.values()].map(describeAggregate),
    ];
    return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  describe(name: string): FunctionInfo | undefined {
    const upper = name.toUpperCase();
    const definition = this.functions.get(upper);
    if (definition !== undefined) return describeDefinition(definition);
    const aggregate = this.aggregates.get(upper);
    return aggregate && describeAggregate(aggregate);
  }
}

/** A registry of the given declarations; by default every built-in function. */
export function createFunctionRegistry(
  definitions: readonly FunctionDefinition[] = BUILTIN_FUNCTIONS,
  aggregates: readonly (AggregateFunctionName | AggregateDefinition)[] = BUILTIN_AGGREGATES,
): FunctionRegistry & AggregateRegistry {
  return new DeclaredFunctionRegistry(definitions, aggregates);
}

/** The built-in functions, shared: declarations are immutable and resolution keeps no state. */
export const builtinFunctions: FunctionRegistry & AggregateRegistry = createFunctionRegistry();
