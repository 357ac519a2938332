/**
 * How a built-in function is declared: its name, category and signatures, each signature a
 * parameter list written as text (`'STRING input, INT start'`, `'T... values'`), a return type
 * (a pattern, or a rule over the argument types) and the implementation as a closure. The
 * registry turns these declarations into resolution, SHOW FUNCTIONS and DESCRIBE FUNCTION.
 */
import type { SqlType } from '../../catalog/types.js';
import type { SqlValue } from '../../catalog/values.js';
import type { ArgumentInfo, FunctionKind, RuntimeArgument } from './function-types.js';
import { parseTypePattern, type TypePattern } from './type-pattern.js';

export interface ParameterSpec {
  readonly name: string;
  readonly pattern: TypePattern;
  /** The pattern as declared, for DESCRIBE FUNCTION. */
  readonly text: string;
}

/** What an implementation may look at when it is bound to one call site. */
export interface CallInfo {
  readonly args: readonly ArgumentInfo[];
  /** Each value argument's type (null for a NULL literal, a lambda or a unit). */
  readonly argTypes: readonly (SqlType | null)[];
  /** The type each value argument is converted to before the call. */
  readonly parameterTypes: readonly (SqlType | null)[];
  readonly bindings: ReadonlyMap<string, SqlType>;
  readonly returnType: SqlType;
}

/** Computes a return type the pattern language cannot express (DECIMAL precision, ...). */
export type ReturnTypeRule = (call: Omit<CallInfo, 'returnType'>) => SqlType;

export type ScalarImplementation = (args: readonly RuntimeArgument[]) => SqlValue;
export type TableImplementation = (args: readonly RuntimeArgument[]) => readonly SqlValue[];

export interface Signature<I> {
  readonly params: readonly ParameterSpec[];
  /** The last parameter repeats zero or more times. */
  readonly variadic: boolean;
  readonly returns: TypePattern | ReturnTypeRule;
  readonly returnsText: string;
  readonly description: string;
  readonly implement: (call: CallInfo) => I;
}

export interface FunctionDefinition {
  /** Upper case; lookups are case-insensitive. */
  readonly name: string;
  readonly kind: FunctionKind;
  readonly category: string;
  readonly description: string;
  /** The name as ksqlDB's resolution errors spell it (its UDF declarations are mostly lower case). */
  readonly messageName: string;
  readonly signatures: readonly Signature<ScalarImplementation | TableImplementation>[];
}

export type ReturnSpec = string | { readonly text: string; readonly rule: ReturnTypeRule };

/** Splits a parameter list on its top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '(') depth++;
    else if ((c === '>' && text[i - 1] !== '=') || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseParams(text: string): { params: ParameterSpec[]; variadic: boolean } {
  const parts = splitTopLevel(text);
  let variadic = false;
  const params = parts.map((part, i) => {
    const space = part.lastIndexOf(' ');
    if (space < 0) throw new Error(`Parameter without a name: '${part}' in '${text}'`);
    let typeText = part.slice(0, space).trim();
    const name = part.slice(space + 1);
    if (typeText.endsWith('...')) {
      if (i !== parts.length - 1) throw new Error(`Only the last parameter may be variadic: '${text}'`);
      variadic = true;
      typeText = typeText.slice(0, -3);
    }
    return { name, pattern: parseTypePattern(typeText), text: typeText };
  });
  return { params, variadic };
}

function makeSignature<I>(
  params: string,
  returns: ReturnSpec,
  implement: (call: CallInfo) => I,
  description: string,
): Signature<I> {
  const parsed = parseParams(params);
  return {
    ...parsed,
    returns: typeof returns === 'string' ? parseTypePattern(returns) : returns.rule,
    returnsText: typeof returns === 'string' ? returns : returns.text,
    description,
    implement,
  };
}

/** A signature whose implementation needs nothing from the call site. */
export function sig(
  params: string,
  returns: ReturnSpec,
  invoke: ScalarImplementation,
  description = '',
): Signature<ScalarImplementation> {
  return makeSignature(params, returns, () => invoke, description);
}

/** A signature whose implementation depends on the resolved types (e.g. a DECIMAL's scale). */
export function sigFor(
  params: string,
  returns: ReturnSpec,
  implement: (call: CallInfo) => ScalarImplementation,
  description = '',
): Signature<ScalarImplementation> {
  return makeSignature(params, returns, implement, description);
}

export function tableSig(
  params: string,
  returns: ReturnSpec,
  invoke: TableImplementation,
  description = '',
): Signature<TableImplementation> {
  return makeSignature(params, returns, () => invoke, description);
}

export function tableSigFor(
  params: string,
  returns: ReturnSpec,
  implement: (call: CallInfo) => TableImplementation,
  description = '',
): Signature<TableImplementation> {
  return makeSignature(params, returns, implement, description);
}

/** A signature of any kind of function (aggregates declare theirs with this). */
export function signatureOf<I>(
  params: string,
  returns: ReturnSpec,
  implement: (call: CallInfo) => I,
  description = '',
): Signature<I> {
  return makeSignature(params, returns, implement, description);
}

/**
 * ksqlDB's UDF declarations name most functions in lower case, and its resolution errors
 * repeat that name (`Function 'greatest' does not accept ...`); these few it spells otherwise.
 */
const DECLARED_NAMES: ReadonlyMap<string, string> = new Map(
  [
    'AS_MAP',
    'ARRAY_JOIN',
    'ENTRIES',
    'GENERATE_SERIES',
    'JSON_ARRAY_CONTAINS',
    'JSON_RECORDS',
    'TO_JSON_STRING',
  ]
    .map((n) => [n, n] as const)
    .concat([
      ['ROUND', 'Round'],
      ['FLOOR', 'Floor'],
    ]),
);

function messageNameOf(name: string, options: DefinitionOptions): string {
  return options.messageName ?? DECLARED_NAMES.get(name.toUpperCase()) ?? name.toLowerCase();
}

export interface DefinitionOptions {
  readonly messageName?: string;
}

export function scalar(
  name: string,
  category: string,
  description: string,
  signatures: readonly Signature<ScalarImplementation>[],
  options: DefinitionOptions = {},
): FunctionDefinition {
  return {
    name: name.toUpperCase(),
    kind: 'SCALAR',
    category,
    description,
    messageName: messageNameOf(name, options),
    signatures,
  };
}

export function table(
  name: string,
  category: string,
  description: string,
  signatures: readonly Signature<TableImplementation>[],
  options: DefinitionOptions = {},
): FunctionDefinition {
  return {
    name: name.toUpperCase(),
    kind: 'TABLE',
    category,
    description,
    messageName: messageNameOf(name, options),
    signatures,
  };
}

/** Null when any argument is null (most ksqlDB functions), else the function's result. */
export function strict(fn: (args: readonly RuntimeArgument[]) => SqlValue): ScalarImplementation {
  return (args) => {
    for (const arg of args) if (arg === null) return null;
    return fn(args);
  };
}

/** A return type that is the type of argument `index` (ABS of a DECIMAL keeps its precision). */
export function sameAsArgument(index: number, text = 'T'): ReturnSpec {
  return {
    text,
    rule: (call) => {
      const type = call.parameterTypes[index] ?? call.argTypes[index];
      if (type === null || type === undefined) throw new Error(`argument ${index} has no type`);
      return type;
    },
  };
}
