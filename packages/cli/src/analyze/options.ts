// The flags of `kubectl ramp analyze`, checked and converted before anything is read or run.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseGoDuration } from '@ramp/api';
import { inputError } from './exit-codes';

/** The flags as commander hands them over. */
export interface RawAnalyzeFlags {
  filename: string[];
  template?: string;
  arg: string[];
  prometheusAddress?: string;
  duration?: string;
  timeout?: string;
  output: string;
  junit?: string;
}

export interface FlagDuration {
  ms: number;
  /** As the user wrote it, for messages ("12s"). */
  text: string;
}

export interface AnalyzeOptions {
  files: string[];
  template?: string;
  /** --arg values by name. */
  args: Map<string, string>;
  prometheusAddress?: string;
  duration?: FlagDuration;
  timeout?: FlagDuration;
  output: 'text' | 'json';
  junit?: string;
}

/** `k=v` pairs, split at the first `=`; a name given twice is refused (which one was meant?). */
export function parseArgFlags(pairs: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const name = at < 0 ? '' : pair.slice(0, at).trim();
    if (name === '') {
      throw inputError(
        `--arg ${JSON.stringify(pair)} is not NAME=VALUE; write e.g. --arg prometheus-address=http://127.0.0.1:9090`,
      );
    }
    if (args.has(name)) throw inputError(`--arg ${name} is given twice; give each arg once`);
    args.set(name, pair.slice(at + 1));
  }
  return args;
}

function parseDuration(flag: string, text: string | undefined): FlagDuration | undefined {
  if (text === undefined) return undefined;
  const parsed = parseGoDuration(text);
  if (!parsed.ok || parsed.ms <= 0) {
    const why = parsed.ok ? 'is not more than 0' : parsed.reason;
    const hint = !parsed.ok && parsed.reason === 'has no unit' ? `; write "${text.trim()}s" for seconds` : '';
    throw inputError(`${flag} ${JSON.stringify(text)} ${why}${hint}; use a duration such as 30s, 5m or 1h`);
  }
  return { ms: parsed.ms, text: text.trim() };
}

function checkAddress(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(address);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw inputError(
      `--prometheus-address ${JSON.stringify(address)} is not an http(s) URL; write e.g. http://127.0.0.1:9090`,
    );
  }
  return address;
}

function checkJunitPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const folder = dirname(resolve(path));
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw inputError(`--junit ${path}: the folder ${folder} does not exist; create it first`);
  return path;
}

export function parseAnalyzeFlags(flags: RawAnalyzeFlags): AnalyzeOptions {
  if (flags.filename.length === 0) {
    throw inputError('analyze needs -f FILE: the YAML file holding the AnalysisTemplate to run');
  }
  if (flags.output !== 'text' && flags.output !== 'json') {
    throw inputError(`-o ${flags.output} is not an output format; use text or json`);
  }
  const duration = parseDuration('--duration', flags.duration);
  const timeout = parseDuration('--timeout', flags.timeout);
  const prometheusAddress = checkAddress(flags.prometheusAddress);
  const junit = checkJunitPath(flags.junit);
  return {
    files: flags.filename,
    ...(flags.template !== undefined ? { template: flags.template } : {}),
    args: parseArgFlags(flags.arg),
    ...(prometheusAddress ? { prometheusAddress } : {}),
    ...(duration ? { duration } : {}),
    ...(timeout ? { timeout } : {}),
    output: flags.output,
    ...(junit ? { junit } : {}),
  };
}
