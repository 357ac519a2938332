/** Every built-in scalar and table function, family by family. */
import type { FunctionDefinition } from './function-definition.js';
import { stringFunctions } from './string-functions.js';

export const BUILTIN_FUNCTIONS: readonly FunctionDefinition[] = [...stringFunctions];
