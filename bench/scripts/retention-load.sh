#!/bin/sh
# The retention sidecar beside a loaded switch (issue 9): 200 recorded calls alone ("before"),
# then the same load while callswitch-retention purges a backlog of 100,000 expired recordings
# on the switch's own store and spool ("during"). Compare the switch's store writer latency
# (p50/p99/max, queued to committed), the relay's loss and latency, and the recordings' checks.
#
#   bench/scripts/retention-load.sh prepare [DIR]   build (Release) and generate the backlog in DIR
#                                                   (default /tmp/retention-bench/load-backlog; ~5 min,
#                                                   CPU and disk heavy: outside the quiet windows)
#   bench/scripts/retention-load.sh measure [DIR]   the two runs (~3 min; in the quiet window)
#
# Run from anywhere; outputs go to DIR/../retention-load-{before,during}.txt. The backlog is
# consumed by the "during" run: prepare a new one before measuring again.
set -eu
cd "$(dirname "$0")/../.."
mode=${1:-}
dir=${2:-/tmp/retention-bench/load-backlog}
out=$(dirname "$dir")
harness=bench/CallSwitch.LoadHarness/bin/Release/net10.0/CallSwitch.LoadHarness.dll
purge=bench/CallSwitch.PurgeBench/bin/Release/net10.0/CallSwitch.PurgeBench.dll

case "$mode" in
  prepare)
    dotnet build -c Release -v q -nologo bench/CallSwitch.LoadHarness
    dotnet build -c Release -v q -nologo bench/CallSwitch.PurgeBench
    mkdir -p "$out"
    dotnet "$purge" generate --dir "$dir" --count 100000
    ;;
  measure)
    test -f "$dir/data/metadata.db" || { echo "no backlog at $dir: run '$0 prepare $dir' first" >&2; exit 1; }
    test -f "$harness" || { echo "no harness build: run '$0 prepare' first" >&2; exit 1; }
    date -u +"before: %Y-%m-%dT%H:%M:%SZ"
    dotnet "$harness" --calls 200 --hold 30 --record | tee "$out/retention-load-before.txt"
    date -u +"during: %Y-%m-%dT%H:%M:%SZ"
    dotnet "$harness" --calls 200 --hold 30 --record --backlog "$dir" | tee "$out/retention-load-during.txt"
    date -u +"done: %Y-%m-%dT%H:%M:%SZ"
    grep -h -E "store writer latency|retention sidecar|^verdict|^agent -> prospect|^prospect -> agent" "$out/retention-load-before.txt" "$out/retention-load-during.txt"
    ;;
  *)
    echo "usage: $0 prepare|measure [BACKLOG_DIR]" >&2
    exit 2
    ;;
esac
