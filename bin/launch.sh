# Shared by the launchers in bin/: make sure the TypeScript build exists and is current, then run
# the named entry point. Sourced, not executed: "$1" is the package, "$2" the file under dist/.
ramp_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ramp_entry="$ramp_root/packages/$1/dist/$2"
if [ ! -d "$ramp_root/node_modules" ]; then
  echo "Ramp's dependencies are not installed. Run this first, in $ramp_root:" >&2
  echo "  npx -y pnpm@10 install        (or, with pnpm 10 installed: pnpm install)" >&2
  exit 1
fi
# Build when the entry is missing or any source is newer than it (tsc -b is incremental).
if [ ! -f "$ramp_entry" ] || [ -n "$(find "$ramp_root/packages" -path '*/node_modules' -prune -o -name '*.ts' -path '*/src/*' -newer "$ramp_entry" -print -quit 2>/dev/null)" ]; then
  if ! (cd "$ramp_root" && node_modules/.bin/tsc -b >&2); then
    echo "Building Ramp failed (see above). Fix the error or run 'pnpm build' in $ramp_root." >&2
    exit 1
  fi
  # tsc -b leaves unchanged outputs alone; mark the entry as current so the next call skips this.
  touch "$ramp_entry" 2>/dev/null || true
fi
exec node "$ramp_entry" "${@:3}"
