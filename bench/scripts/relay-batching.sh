#!/bin/sh
# Issue 14, relay part: each step of the relay's system-call batching against the minimal C
# relay, at 500 calls, with the relay-comparison rig (bench/relay-rig/run.sh), three rounds.
#
#   bench/scripts/relay-batching.sh prepare    build this tree (Release) and the baseline (BASELINE,
#                                              default b392b75: the relay before batching, with
#                                              the rig's host) into /tmp/relay-batching/baseline
#                                              (~5 min of both cores: outside the quiet windows)
#   bench/scripts/relay-batching.sh measure    the runs (~6 min; in the quiet window)
#   bench/scripts/relay-batching.sh compare    4 rounds of c, this tree, this tree connected, the
#                                              baseline with its sleep, and EXTRA (more relays, e.g.
#                                              "step=switch@/path/CallSwitch.Benchmarks.dll") (~5 min)
#   bench/scripts/relay-batching.sh profile    one profiled run of the C relay and of this tree
#                                              (perf, DOTNET_PerfMapEnabled=1), reports in
#                                              /tmp/relay-batching/perf
#
# Relays, in each round: c (the floor), the baseline with its 2 ms batching sleep and without,
# then this tree: recvmmsg with a sendto per packet, recvmmsg + sendmmsg (the default), and
# recvmmsg + sendmmsg on sockets connected to their latched peer; direct is the generator alone.
# Lines go to /tmp/relay-batching/rig*.txt (and the console).
set -eu
cd "$(dirname "$0")/../.."
mode=${1:-}
base=/tmp/relay-batching
baseline=${BASELINE:-b392b75}
dll=$base/baseline/bench/CallSwitch.Benchmarks/bin/Release/net10.0/CallSwitch.Benchmarks.dll

case "$mode" in
  prepare)
    rm -rf "$base/baseline"
    mkdir -p "$base/baseline"
    git archive "$baseline" | tar -x -C "$base/baseline"
    dotnet build -c Release -v q -nologo "$base/baseline/bench/CallSwitch.Benchmarks"
    dotnet build -c Release -v q -nologo bench/CallSwitch.Benchmarks
    ;;
  measure)
    test -f "$dll" || { echo "no baseline build at $dll: run '$0 prepare' first" >&2; exit 1; }
    RIG_OUT=$base/rig.txt NO_BUILD=1 bench/relay-rig/run.sh --calls "${CALLS:-500}" --warmup 3 --window "${WINDOW:-10}" --repeat "${REPEAT:-3}" \
      c "baseline-2ms=switch@$dll,--poll-ms,2" "baseline-0ms=switch@$dll,--poll-ms,0" \
      recvmmsg=switch,--batched-sends,0 recvmmsg+sendmmsg=switch connected=switch,--connect,1 direct
    ;;
  compare)
    test -f "$dll" || { echo "no baseline build at $dll: run '$0 prepare' first" >&2; exit 1; }
    rm -f "$base/rig-compare.txt"
    # shellcheck disable=SC2086 # EXTRA is a list of relays
    RIG_OUT=$base/rig-compare.txt NO_BUILD=1 bench/relay-rig/run.sh --calls "${CALLS:-500}" --warmup 3 --window "${WINDOW:-10}" --repeat "${REPEAT:-4}" \
      c final=switch ${EXTRA:-} final-connected=switch,--connect,1 "baseline-2ms=switch@$dll,--poll-ms,2"
    bench/relay-rig/summary.py "$base/rig-compare.txt"
    ;;
  profile)
    test -f "$dll" || { echo "no baseline build at $dll: run '$0 prepare' first" >&2; exit 1; }
    rm -rf "$base/perf"
    PERF_DIR=$base/perf RIG_OUT=$base/rig-profiled.txt NO_BUILD=1 bench/relay-rig/run.sh --calls "${CALLS:-500}" --warmup 3 --window 8 \
      c final=switch "baseline-2ms=switch@$dll,--poll-ms,2"
    for data in "$base"/perf/*.data; do
      perf report -i "$data" --no-children -g none --sort dso,sym --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -60 > "${data%.data}.txt"
      perf report -i "$data" --no-children -g none --sort dso --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15 > "${data%.data}.dso.txt"
    done
    ls "$base/perf"
    ;;
  *)
    echo "usage: $0 prepare|measure|profile" >&2
    exit 2
    ;;
esac
