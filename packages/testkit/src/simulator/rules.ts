/**
 * The simulator's documented rules: which images crash, how a run-to-completion container ends and how long
 * it runs. Pure functions of the pod (and its Job), so they are easy to test and to explain.
 */
import { isObject, type KubeObject } from '../types';

/** A list of images (in addition to the default tag rule) or a predicate that replaces the whole rule. */
export type BadImageRule = string[] | ((image: string) => boolean);

/** Annotation on a Job forcing its outcome: `failure` or `success`. */
export const JOB_RESULT_ANNOTATION = 'testkit.ramp.dev/result';

/** The tag of an image reference (`registry:5000/app:v2-bad` → `v2-bad`), without any digest. */
export function imageTag(image: string): string | undefined {
  const name = image.split('@')[0] ?? '';
  const last = name.split('/').pop() ?? '';
  const colon = last.lastIndexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}

/** Default rule: the tag ends in `bad` (`app:v2-bad`, `app:bad`); or the image is in the list. */
export function badImagePredicate(rule: BadImageRule | undefined): (image: string) => boolean {
  if (typeof rule === 'function') return rule;
  const listed = new Set(rule ?? []);
  return (image) => listed.has(image) || (imageTag(image)?.endsWith('bad') ?? false);
}

export interface Container {
  name: string;
  image: string;
  command: string[];
  args: string[];
}

/** The pod's `spec.containers`, in spec order, with the fields the simulator reads. */
export function containersOf(pod: KubeObject): Container[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const list = Array.isArray(spec.containers) ? spec.containers : [];
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return list.filter(isObject).map((c) => ({
    name: String(c.name ?? ''),
    image: String(c.image ?? ''),
    command: strings(c.command),
    args: strings(c.args),
  }));
}

function script(c: Container): string {
  return [...c.command, ...c.args].join(' ');
}

/** The exit code of a run-to-completion container: the last shell `exit N` of its command and args, else 0. */
export function exitCodeOf(c: Container): number {
  let code = 0;
  for (const m of script(c).matchAll(/(?<![\w-])exit\s+(\d+)(?![\w.])/g)) code = Number(m[1]);
  return code;
}

/** Seconds of every shell `sleep N` (N a number of seconds, `5`, `0.5`, `5s`) in the command and args. */
export function sleepSecondsOf(c: Container): number {
  let total = 0;
  for (const m of script(c).matchAll(/(?<![\w-])sleep\s+(\d+(?:\.\d+)?)s?(?![\w.])/g)) total += Number(m[1]);
  return total;
}

/**
 * How long a run-to-completion pod runs once started: at least `jobDurationMs`, longer when its containers
 * `sleep` (the longest container counts), capped at 10 × `jobDurationMs`.
 */
export function runDurationMs(containers: Container[], jobDurationMs: number): number {
  const sleeps = Math.max(0, ...containers.map((c) => sleepSecondsOf(c) * 1000));
  return Math.min(Math.max(jobDurationMs, sleeps), 10 * jobDurationMs);
}

/**
 * The exit code of each container of a run-to-completion pod: a bad image exits 1; otherwise the last
 * `exit N`. The owning Job's `testkit.ramp.dev/result` annotation overrides: `failure` makes every container
 * that would exit 0 exit 1, `success` makes every container exit 0.
 */
export function exitCodes(
  containers: Container[],
  isBad: (image: string) => boolean,
  job?: KubeObject,
): Map<string, number> {
  const forced = job?.metadata.annotations?.[JOB_RESULT_ANNOTATION];
  const out = new Map<string, number>();
  for (const c of containers) {
    let code = isBad(c.image) ? 1 : exitCodeOf(c);
    if (forced === 'success') code = 0;
    else if (forced === 'failure' && code === 0) code = 1;
    out.set(c.name, code);
  }
  return out;
}
