/** Every built-in scalar and table function, family by family. */
import { arrayFunctions } from './array-functions.js';
import { bytesFunctions } from './bytes-functions.js';
import { conditionalFunctions } from './conditional-functions.js';
import { datetimeFunctions } from './datetime-functions.js';
import type { FunctionDefinition } from './function-definition.js';
import { jsonFunctions } from './json-functions.js';
import { lambdaFunctions } from './lambda-functions.js';
import { mapFunctions } from './map-functions.js';
import { maskFunctions } from './mask-functions.js';
import { mathFunctions } from './math-functions.js';
import { regexFunctions } from './regex-functions.js';
import { stringFunctions } from './string-functions.js';
import { tableFunctions } from './table-functions.js';
import { urlFunctions } from './url-functions.js';

export const BUILTIN_FUNCTIONS: readonly FunctionDefinition[] = [
  ...stringFunctions,
  ...maskFunctions,
  ...mathFunctions,
  ...conditionalFunctions,
  ...arrayFunctions,
  ...mapFunctions,
  ...lambdaFunctions,
  ...jsonFunctions,
  ...datetimeFunctions,
  ...urlFunctions,
  ...regexFunctions,
  ...bytesFunctions,
  ...tableFunctions,
];
