#!/bin/bash
# Call set-ups per second through the switch (issue 14): SIPp as agent (digest) and as trunk,
# CPS calls per second for DURATION s, calls of CALL_MS ms; three runs with recording off and
# three with recording on, medians by hand from the printed rows. Run it in a quiet window.
#
#   bench/scripts/cps.sh [CPS] [DURATION] [CALL_MS]        (defaults 1000 60 1000)
#   NO_BUILD=1 bench/scripts/cps.sh ...                     (skip the Release build)
#   RUNS=1 MODES=off bench/scripts/cps.sh 400 20             (one run, recording off only)
set -euo pipefail
cd "$(dirname "$0")/../.."
cps=${1:-1000}
duration=${2:-60}
call_ms=${3:-1000}
runs=${RUNS:-3}
modes=${MODES:-"off on"}
if [ -z "${NO_BUILD:-}" ]; then
  dotnet build -c Release bench/CallSwitch.LoadHarness/CallSwitch.LoadHarness.csproj -v quiet -nologo
fi
harness=bench/CallSwitch.LoadHarness/bin/Release/net10.0/CallSwitch.LoadHarness.dll
for mode in $modes; do
  for run in $(seq 1 "$runs"); do
    record=""
    if [ "$mode" = on ]; then record="--record --samples 3"; fi
    echo "### $(date -u +%H:%M:%S) recording $mode, run $run: --cps $cps --duration $duration --call-ms $call_ms (load $(cut -d' ' -f1 /proc/loadavg))"
    # shellcheck disable=SC2086
    dotnet "$harness" --cps "$cps" --duration "$duration" --call-ms "$call_ms" $record | sed -n '/^=== CPS/,$p'
  done
done
