#!/usr/bin/env bash
# The web console's live board when calls change state all the time: the load harness keeps
# CALLS calls up, each lasting CHURN seconds and replaced at once (CALLS/CHURN calls start and as
# many end every second, through the window), measured with no browser on the board and with
# CLIENTS (each signed in and reading the board's event stream), alternately, three times each.
# The board's cost under churn is the difference of the switch's CPU (% of one core) between the
# two (take the medians); the harness also says how many events the clients received in the
# window. Loss figures count the RTP switch-overs between a socket's calls: read the CPU lines.
# Needs a quiet machine (a measurement): run it in a quiet window.
#
#   bench/scripts/console-churn.sh [CALLS] [CLIENTS] [CHURN_SECONDS] [HOLD_SECONDS]   # defaults 300 20 10 30
#   NO_BUILD=1 bench/scripts/console-churn.sh                                          # reuse the Release build
set -euo pipefail
cd "$(dirname "$0")/../.."
calls=${1:-300}
clients=${2:-20}
churn=${3:-10}
hold=${4:-30}
# SIPp must be allowed to place the replacements as fast as calls end.
rate=$(( (calls + churn - 1) / churn * 2 ))
if [ "$rate" -lt 50 ]; then rate=50; fi
if [ -z "${NO_BUILD:-}" ]; then
  dotnet build -c Release bench/CallSwitch.LoadHarness/CallSwitch.LoadHarness.csproj >/dev/null
fi

run() {
  echo "== $1 console client(s), $calls calls of $churn s each ($((calls / churn)) started and ended per second), window $hold s ($(date -u +%H:%M:%S) UTC)"
  dotnet run -c Release --no-build --project bench/CallSwitch.LoadHarness -- \
      --calls "$calls" --hold "$hold" --rate "$rate" --churn-seconds "$churn" --console-clients "$1" 2>&1 \
    | grep -E "console live board|switch CPU in window|switch CPU per call-second|machine busy|SIPp outcome|verdict" || true
}

for round in 1 2 3; do
  run 0
  run "$clients"
done
