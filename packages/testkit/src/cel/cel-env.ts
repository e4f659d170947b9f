/**
 * The CEL environment of x-kubernetes-validations in testkit: @bufbuild/cel's standard library, its strings
 * extension, the Kubernetes libraries of cel-functions.ts, optional values (cel-optional.ts) and the cost
 * counter (cel-cost.ts); RE2 is re2js.
 */
import { type CelEnv, type CelFunc, celEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { costFunctions } from './cel-cost';
import { kubernetesFunctions, re2 } from './cel-functions';
import { optionalFunctions } from './cel-optional';

let env: CelEnv | undefined;

/** The one environment every rule is planned in. */
export function validationEnv(): CelEnv {
  env ??= celEnv({
    funcs: [...strings, ...kubernetesFunctions, ...optionalFunctions, ...costFunctions],
    re2: { compile: (pattern: string) => ({ test: (text: string) => re2(pattern).matcher(text).find() }) },
  });
  return env;
}

/** Every overload of the environment, for the static checks of cel-check.ts. */
export function validationFunctions(): CelFunc[] {
  return [...validationEnv().funcs];
}
