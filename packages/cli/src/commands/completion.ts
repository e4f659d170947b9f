// `completion bash|zsh|fish`: a shell completion script for kubectl-ramp, generated from the command tree
// (verbs, their aliases and flags), completing rollout and AnalysisRun names with kubectl.
import type { Command } from 'commander';
import { CliError } from '../errors';
import type { ProgramDeps } from '../program';

interface Node {
  /** The canonical path, e.g. `get rollout`. */
  path: string;
  /** Every spelling of the path (aliases included). */
  spellings: string[];
  subcommands: string[];
  flags: string[];
  /** The kind whose names the operands are, when they are names. */
  names?: 'rollouts.argoproj.io' | 'analysisruns.argoproj.io';
}

const ANALYSIS_PATHS = new Set(['get analysisrun', 'terminate analysisrun']);
const NO_NAMES = new Set(['list rollouts', 'version', 'completion', 'lint', 'analyze', 'help']);

function walk(cmd: Command, path: string[], spellings: string[][], out: Node[]): void {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  const key = path.join(' ');
  out.push({
    path: key,
    spellings: spellings.map((s) => s.join(' ')),
    subcommands: subs.flatMap((c) => [c.name(), ...c.aliases()]),
    flags: cmd.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f),
    names:
      subs.length > 0 || path.length === 0 || NO_NAMES.has(key) || NO_NAMES.has(path[0] ?? '')
        ? undefined
        : ANALYSIS_PATHS.has(key)
          ? 'analysisruns.argoproj.io'
          : 'rollouts.argoproj.io',
  });
  for (const sub of subs) {
    const names = [sub.name(), ...sub.aliases()];
    walk(
      sub,
      [...path, sub.name()],
      spellings.flatMap((s) => names.map((n) => [...s, n])),
      out,
    );
  }
}

export function commandTree(program: Command): Node[] {
  const out: Node[] = [];
  walk(program, [], [[]], out);
  return out;
}

const quote = (words: string[]) => words.join(' ');

export function bashScript(nodes: Node[]): string {
  const cases = (pick: (n: Node) => string) =>
    nodes.map((n) => `    ${n.spellings.map((s) => `"${s}"`).join('|')}) echo "${pick(n)}" ;;`).join('\n');
  return `# kubectl-ramp completion for bash. Load it with: source <(kubectl-ramp completion bash)
__kubectl_ramp_subcommands() {
  case "$1" in
${cases((n) => quote(n.subcommands))}
  esac
}
__kubectl_ramp_flags() {
  case "$1" in
${cases((n) => quote(n.flags))}
  esac
}
__kubectl_ramp_names() {
  case "$1" in
${cases((n) => n.names ?? '')}
  esac
}
_kubectl_ramp() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" w i
  local -a kubectl_args=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      -n|--namespace|--context|--kubeconfig) kubectl_args+=("$w" "\${COMP_WORDS[i+1]}"); ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ " $(__kubectl_ramp_subcommands "$path") " == *" $w "* ]]; then path="\${path:+$path }$w"; fi
  done
  case "$prev" in
    -o|--output) COMPREPLY=($(compgen -W "json yaml" -- "$cur")); return ;;
    --kubeconfig) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --context) COMPREPLY=($(compgen -W "$(kubectl config get-contexts -o name 2>/dev/null)" -- "$cur")); return ;;
    -n|--namespace)
      COMPREPLY=($(compgen -W "$(kubectl "\${kubectl_args[@]}" get namespaces -o jsonpath='{.items[*].metadata.name}' 2>/dev/null)" -- "$cur"))
      return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(__kubectl_ramp_flags "$path")" -- "$cur"))
    return
  fi
  local words kind
  words="$(__kubectl_ramp_subcommands "$path")"
  kind="$(__kubectl_ramp_names "$path")"
  if [[ -n "$kind" ]]; then
    words="$words $(kubectl "\${kubectl_args[@]}" get "$kind" -o jsonpath='{.items[*].metadata.name}' 2>/dev/null)"
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _kubectl_ramp kubectl-ramp
`;
}

export function zshScript(nodes: Node[]): string {
  return `#compdef kubectl-ramp
# kubectl-ramp completion for zsh (the bash completion through bashcompinit).
# Load it with: source <(kubectl-ramp completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript(nodes).split('\n').slice(1).join('\n')}`;
}

export function fishScript(nodes: Node[]): string {
  const lines = ['# kubectl-ramp completion for fish. Load it with: kubectl-ramp completion fish | source'];
  lines.push('complete -c kubectl-ramp -f');
  for (const n of nodes) {
    const words = n.path ? n.path.split(' ') : [];
    const seen = words.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${words.at(-1)}`;
    const subs = n.subcommands.join(' ');
    const leaf = subs ? `${seen}; and not __fish_seen_subcommand_from ${subs}` : seen;
    if (subs) lines.push(`complete -c kubectl-ramp -n '${leaf}' -a '${subs}'`);
    for (const flag of n.flags) {
      const opt = flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
      lines.push(`complete -c kubectl-ramp -n '${seen}' ${opt}`);
    }
    if (n.names) {
      lines.push(
        `complete -c kubectl-ramp -n '${leaf}' -a '(kubectl get ${n.names} -o jsonpath="{.items[*].metadata.name}" 2>/dev/null | string split " ")'`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function registerCompletion(program: Command, deps: ProgramDeps): void {
  program
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .description('Print a shell completion script for kubectl-ramp (verbs, flags, rollout names)')
    .action((shell: string) => {
      const nodes = commandTree(program);
      if (shell === 'bash') deps.io.out(bashScript(nodes));
      else if (shell === 'zsh') deps.io.out(zshScript(nodes));
      else if (shell === 'fish') deps.io.out(fishScript(nodes));
      else throw new CliError(`completion ${shell}: the shells are bash, zsh and fish`);
    });
}
