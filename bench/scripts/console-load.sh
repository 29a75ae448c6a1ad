#!/usr/bin/env bash
# The web console's cost to the switch: the load harness's 300 relayed calls, measured with no
# browser on the live board and with 20 (each signed in and reading the board's event stream),
# alternately, twice each. The console's cost is the difference in the switch's CPU (% of one
# core) between the two; the harness also says how many events the clients received in the
# window and the largest list they were shown (300: every call was on their board).
#
#   bench/scripts/console-load.sh [CALLS] [CLIENTS] [HOLD_SECONDS]     # defaults 300 20 30
#   NO_BUILD=1 bench/scripts/console-load.sh                           # reuse the Release build
set -euo pipefail
cd "$(dirname "$0")/../.."
calls=${1:-300}
clients=${2:-20}
hold=${3:-30}
if [ -z "${NO_BUILD:-}" ]; then
  dotnet build -c Release bench/CallSwitch.LoadHarness/CallSwitch.LoadHarness.csproj >/dev/null
fi

run() {
  echo "== $1 console client(s), $calls calls, window $hold s ($(date -u +%H:%M:%S) UTC)"
  dotnet run -c Release --no-build --project bench/CallSwitch.LoadHarness -- \
      --calls "$calls" --hold "$hold" --console-clients "$1" 2>&1 \
    | grep -E "console live board|switch CPU in window|switch CPU per call-second|loss %|agent -> prospect|prospect -> agent|machine busy|verdict" || true
}

for round in 1 2; do
  run 0
  run "$clients"
done
