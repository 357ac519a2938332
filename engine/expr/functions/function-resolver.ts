/**
 * Overload resolution with ksqlDB's rules (its UdfIndex):
 *
 * 1. Every signature is tried without implicit casts; a NULL literal matches any parameter,
 *    generics bind to the exact argument types, consistently across arguments.
 * 2. Only when nothing matched, again with numbers widening INTEGER -> BIGINT -> DECIMAL ->
 *    DOUBLE (and a STRING literal standing for a DATE, TIME or TIMESTAMP, which ksqlDB's
 *    analyzer allows for such parameters).
 * 3. Among several matches the best is a non-variadic one, then the one with more parameters,
 *    then the one with fewer generics; a tie is ambiguous, and an error, as in ksqlDB
 *    (`GREATEST(INTEGER, BIGINT)` matches the BIGINT, DECIMAL and DOUBLE overloads equally).
 *
 * A lambda argument is typed by calling back into the compiler once the generics its
 * parameters use are bound, so value arguments are matched before lambdas.
 */
import { formatType, type SqlType } from '../../catalog/types.js';
import type { CallInfo, FunctionDefinition, Signature } from './function-definition.js';
import { type ArgumentInfo, FunctionResolutionError } from './function-types.js';
import {
  countGenerics,
  formatTypePattern,
  type GenericBindings,
  instantiate,
  type MatchOptions,
  matchType,
  parameterTypeFor,
  type TypePattern,
} from './type-pattern.js';

interface Match<I> {
  readonly signature: Signature<I>;
  readonly bindings: GenericBindings;
  readonly patterns: readonly TypePattern[];
  /** The parameter types each lambda argument was typed with for this signature. */
  readonly lambdaParams: ReadonlyMap<number, readonly SqlType[]>;
}

export interface Resolved<I> {
  readonly call: CallInfo;
  readonly implementation: I;
}

const TIME_KINDS = new Set(['DATE', 'TIME', 'TIMESTAMP']);

/** A STRING literal where a DATE, TIME or TIMESTAMP is expected: the compiler parses it. */
function isTimeLiteral(pattern: TypePattern, arg: ArgumentInfo & { kind: 'value' }): boolean {
  return (
    pattern.kind === 'PRIMITIVE' &&
    TIME_KINDS.has(pattern.type.kind) &&
    arg.type?.kind === 'STRING' &&
    typeof arg.constant === 'string'
  );
}

type LambdaTyper = (arg: ArgumentInfo & { kind: 'lambda' }, params: readonly SqlType[]) => SqlType;

function patternsFor<I>(signature: Signature<I>, count: number): TypePattern[] | undefined {
  const params = signature.params;
  const fixed = signature.variadic ? params.length - 1 : params.length;
  if (signature.variadic ? count < fixed : count !== fixed) return undefined;
  const patterns: TypePattern[] = [];
  for (let i = 0; i < count; i++) {
    const param = i < fixed ? params[i] : params[params.length - 1];
    if (param === undefined) return undefined;
    patterns.push(param.pattern);
  }
  return patterns;
}

function tryMatch<I>(
  signature: Signature<I>,
  args: readonly ArgumentInfo[],
  options: MatchOptions,
  typeLambda: LambdaTyper,
): Match<I> | undefined {
  const patterns = patternsFor(signature, args.length);
  if (patterns === undefined) return undefined;
  const bindings: GenericBindings = new Map();
  const lambdaParams = new Map<number, readonly SqlType[]>();
  for (const [i, arg] of args.entries()) {
    const pattern = patterns[i] as TypePattern;
    if (arg.kind === 'unit') {
      if (pattern.kind !== 'INTERVAL_UNIT') return undefined;
    } else if (arg.kind === 'value') {
      if (pattern.kind === 'LAMBDA' || pattern.kind === 'INTERVAL_UNIT') return undefined;
      if (arg.type === null) continue;
      if (options.allowCasts && isTimeLiteral(pattern, arg)) continue;
      if (!matchType(pattern, arg.type, bindings, options)) return undefined;
    } else if (pattern.kind !== 'LAMBDA' || pattern.params.length !== arg.arity) {
      return undefined;
    }
  }
  for (const [i, arg] of args.entries()) {
    if (arg.kind !== 'lambda') continue;
    const pattern = patterns[i] as Extract<TypePattern, { kind: 'LAMBDA' }>;
    const paramTypes = typeLambdaArgument(arg, pattern, bindings, options, typeLambda);
    if (paramTypes === undefined) return undefined;
    lambdaParams.set(i, paramTypes);
  }
  return { signature, bindings, patterns, lambdaParams };
}

/**
 * Types a lambda argument with the bound generics and binds its result. In the casting pass a
 * result wider than the generic it must equal widens that generic and the lambda is typed
 * again: `REDUCE(bigints, 0, (s, x) => s + x)` folds into a BIGINT state, not an INTEGER one.
 * Returns the parameter types of the typing that matched.
 */
function typeLambdaArgument(
  arg: ArgumentInfo & { kind: 'lambda' },
  pattern: Extract<TypePattern, { kind: 'LAMBDA' }>,
  bindings: GenericBindings,
  options: MatchOptions,
  typeLambda: LambdaTyper,
): SqlType[] | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    const paramTypes: SqlType[] = [];
    for (const param of pattern.params) {
      const type = instantiate(param, bindings);
      if (type === undefined) return undefined;
      paramTypes.push(type);
    }
    let bodyType: SqlType;
    try {
      bodyType = typeLambda(arg, paramTypes);
    } catch {
      return undefined;
    }
    const exact = new Map(bindings);
    if (matchType(pattern.returns, bodyType, exact, { allowCasts: false })) {
      for (const [name, type] of exact) bindings.set(name, type);
      return paramTypes;
    }
    if (!options.allowCasts || attempt > 0) return undefined;
    if (!matchType(pattern.returns, bodyType, bindings, options)) return undefined;
  }
  return undefined;
}

function rank<I>(signature: Signature<I>): readonly number[] {
  const generics = signature.params.reduce((n, p) => n + countGenerics(p.pattern), 0);
  return [signature.variadic ? 0 : 1, signature.params.length, -generics];
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function formatArgument(arg: ArgumentInfo): string {
  switch (arg.kind) {
    case 'value':
      return arg.type === null ? 'null' : formatType(arg.type, { quoteField: () => false });
    case 'lambda':
      return `LAMBDA(${arg.arity})`;
    case 'unit':
      return 'INTERVALUNIT';
  }
}

export function formatArguments(args: readonly ArgumentInfo[]): string {
  return `(${args.map(formatArgument).join(', ')})`;
}

/** `explode(ARRAY<T> list)`, `concat(STRING... inputs)`: one line of "Valid alternatives". */
export function formatSignature(messageName: string, signature: Signature<unknown>): string {
  const params = signature.params.map((p, i) => {
    const variadic = signature.variadic && i === signature.params.length - 1;
    return `${formatTypePattern(p.pattern)}${variadic ? '...' : ''} ${p.name}`;
  });
  return `${messageName}(${params.join(', ')})`;
}

function alternatives(definition: FunctionDefinition): string {
  return definition.signatures.map((s) => formatSignature(definition.messageName, s)).join('\n');
}

const DESCRIBE_HINT = 'For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;';

function noMatch(definition: FunctionDefinition, args: readonly ArgumentInfo[]): FunctionResolutionError {
  return new FunctionResolutionError(
    `Function '${definition.messageName}' does not accept parameters ${formatArguments(args)}.\n` +
      `Valid alternatives are:\n${alternatives(definition)}\n${DESCRIBE_HINT}`,
  );
}

function ambiguous(definition: FunctionDefinition, args: readonly ArgumentInfo[]): FunctionResolutionError {
  return new FunctionResolutionError(
    `Function '${definition.messageName}' cannot be resolved due to ambiguous method parameters ` +
      `${formatArguments(args)}.\n` +
      'Use CAST() to explicitly cast your parameters to one of the supported function calls.\n' +
      `Valid function calls are:\n${alternatives(definition)}\n${DESCRIBE_HINT}`,
  );
}

function bestMatch<I>(
  definition: FunctionDefinition,
  args: readonly ArgumentInfo[],
  options: MatchOptions,
  typeLambda: LambdaTyper,
): Match<I> | undefined {
  const matches: Match<I>[] = [];
  for (const signature of definition.signatures as readonly Signature<I>[]) {
    const match = tryMatch(signature, args, options, typeLambda);
    if (match !== undefined) matches.push(match);
  }
  if (matches.length <= 1) return matches[0];
  matches.sort((a, b) => compareRanks(rank(b.signature), rank(a.signature)));
  const [first, second] = matches as [Match<I>, Match<I>];
  if (compareRanks(rank(first.signature), rank(second.signature)) === 0) throw ambiguous(definition, args);
  return first;
}

/**
 * Resolves a call against a definition's signatures and binds the implementation. Throws
 * FunctionResolutionError with ksqlDB's messages; when only a lambda body failed to type,
 * that error is rethrown instead, since it says what the user got wrong.
 */
export function resolveCall<I>(definition: FunctionDefinition, args: readonly ArgumentInfo[]): Resolved<I> {
  const lambdaCache = new Map<string, SqlType>();
  let lambdaError: unknown;
  const typeLambda: LambdaTyper = (arg, params) => {
    const key = `${args.indexOf(arg)}:${params.map((t) => formatType(t)).join(',')}`;
    const cached = lambdaCache.get(key);
    if (cached !== undefined) return cached;
    try {
      const type = arg.typeBody(params);
      lambdaCache.set(key, type);
      return type;
    } catch (e) {
      lambdaError ??= e;
      throw e;
    }
  };
  const match =
    bestMatch<I>(definition, args, { allowCasts: false }, typeLambda) ??
    bestMatch<I>(definition, args, { allowCasts: true }, typeLambda);
  if (match === undefined) {
    if (lambdaError !== undefined) throw lambdaError;
    throw noMatch(definition, args);
  }
  return bind(definition, match, args);
}

function bind<I>(
  definition: FunctionDefinition,
  match: Match<I>,
  args: readonly ArgumentInfo[],
): Resolved<I> {
  const { signature, bindings, patterns, lambdaParams } = match;
  // Other signatures may have typed a lambda with other parameter types since; typing it
  // once more with the chosen ones leaves the compiler holding the typing that is used.
  for (const [i, params] of lambdaParams) {
    const arg = args[i];
    if (arg?.kind === 'lambda') arg.typeBody(params);
  }
  const argTypes = args.map((a) => (a.kind === 'value' ? a.type : null));
  const parameterTypes = args.map((arg, i) => {
    if (arg.kind !== 'value') return null;
    const pattern = patterns[i] as TypePattern;
    if (arg.type !== null && isTimeLiteral(pattern, arg)) return instantiate(pattern, bindings) ?? null;
    return parameterTypeFor(pattern, arg.type, bindings);
  });
  const partial = { args, argTypes, parameterTypes, bindings };
  let returnType: SqlType | undefined;
  if (typeof signature.returns === 'function') {
    returnType = signature.returns(partial);
  } else {
    returnType = instantiate(signature.returns, bindings);
  }
  if (returnType === undefined) {
    throw new FunctionResolutionError(
      `Function '${definition.messageName}' cannot infer its return type ${signature.returnsText} ` +
        `from parameters ${formatArguments(args)}.`,
    );
  }
  const call: CallInfo = { ...partial, returnType };
  return { call, implementation: signature.implement(call) };
}
