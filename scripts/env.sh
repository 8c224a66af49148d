# Sourced by every NetDiffus-Go script: one place for the environment the project needs.
#   . "$(dirname "$0")/env.sh"
# GoMLX v0.28 needs Go 1.27: the go command fetches go1.27.3 from the module proxy on first use (~10 s).
export GOTOOLCHAIN=go1.27.3
NETDIFFUS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NETDIFFUS_ROOT
export NETDIFFUS_TOOLS="$NETDIFFUS_ROOT/.tools"
# Never let GoMLX download plugins or runtimes behind the user's back (nblib/backend sets it too).
export GOMLX_NO_AUTO_INSTALL="${GOMLX_NO_AUTO_INSTALL:-1}"
case ":$PATH:" in *":$NETDIFFUS_TOOLS/bin:"*) ;; *) export PATH="$NETDIFFUS_TOOLS/bin:$PATH" ;; esac
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi

# say prints a progress line of a script, prefixed with its name.
say() { printf '[%s] %s\n' "$(basename "$0")" "$*"; }
# die prints an error naming what is missing and how to get it, then exits.
die() { printf '[%s] ERROR: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
