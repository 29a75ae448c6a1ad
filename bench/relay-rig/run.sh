#!/usr/bin/env bash
# The relay-comparison rig: the same RTP generator (rtpgen.c) against the minimal C relay
# (crelay.c, recvmmsg/sendmmsg) and against the switch's relay (MediaRelay in a bare host,
# bench/CallSwitch.Benchmarks --relay-rig), one after the other in one run. See README.md.
#
#   bench/relay-rig/run.sh [--calls N] [--warmup S] [--window S] [--repeat R] RELAY...
#
# RELAY: c | direct | switch[@DLL][,OPTION,VALUE...]   e.g. switch,--poll-ms,2
#   direct: the generator alone, its sockets sending to each other (its own latency floor).
#   switch: the benchmarks' build (bench/CallSwitch.Benchmarks/bin/Release/net10.0, built here
#   unless NO_BUILD=1), or the CallSwitch.Benchmarks.dll named after @ (another build).
# Each run prints one line "rig relay=... calls=... ms_per_call_s=... p50_ms=... p99_ms=...";
# the lines are also appended to $RIG_OUT (default $TMPDIR/relay-rig.txt).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
calls=500 warmup=3 window=10 repeat=1
relays=()
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) calls="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --window) window="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) relays+=("$1"); shift ;;
  esac
done
[ ${#relays[@]} -gt 0 ] || { echo "run.sh: name at least one relay (c, direct, switch[...])" >&2; exit 2; }

work="$(mktemp -d)"
relay_pid=""
cleanup() {
  if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

cc -O2 -Wall -Wextra -pthread -o "$work/crelay" "$root/bench/relay-rig/crelay.c"
cc -O2 -Wall -Wextra -pthread -o "$work/rtpgen" "$root/bench/relay-rig/rtpgen.c"
default_dll="$root/bench/CallSwitch.Benchmarks/bin/Release/net10.0/CallSwitch.Benchmarks.dll"
if [ "${NO_BUILD:-0}" != 1 ] && printf '%s\n' "${relays[@]}" | grep -q '^switch'; then
  dotnet build -c Release "$root/bench/CallSwitch.Benchmarks/CallSwitch.Benchmarks.csproj" -v q -nologo >/dev/null
fi
out="${RIG_OUT:-${TMPDIR:-/tmp}/relay-rig.txt}"

wait_for_ports() {
  for _ in $(seq 1 300); do
    [ -s "$work/ports" ] && return 0
    kill -0 "$relay_pid" 2>/dev/null || { echo "run.sh: the relay exited before writing its ports" >&2; return 1; }
    sleep 0.1
  done
  echo "run.sh: no ports file after 30 s" >&2
  return 1
}

for r in $(seq 1 "$repeat"); do
  for spec in "${relays[@]}"; do
    rm -f "$work/ports"
    relay_pid=""
    case "$spec" in
      c)
        "$work/crelay" "$calls" "$work/ports" 2 & relay_pid=$!
        wait_for_ports
        line=$("$work/rtpgen" "$work/ports" "$relay_pid" "$warmup" "$window") ;;
      direct)
        seq 1 "$calls" | awk '{ print 9, 9 }' > "$work/ports"
        line=$("$work/rtpgen" "$work/ports" 0 "$warmup" "$window" direct) ;;
      switch*)
        rest="${spec#switch}"
        dll="$default_dll"
        if [[ "$rest" == @* ]]; then dll="${rest#@}"; dll="${dll%%,*}"; rest="${rest#@"$dll"}"; fi
        options=()
        if [ -n "${rest#,}" ]; then IFS=',' read -r -a options <<< "${rest#,}"; fi
        DOTNET_gcServer=0 dotnet "$dll" --relay-rig "$calls" "$work/ports" "${options[@]}" > "$work/host.log" 2>&1 & relay_pid=$!
        wait_for_ports
        line=$("$work/rtpgen" "$work/ports" "$relay_pid" "$warmup" "$window") ;;
      *) echo "run.sh: unknown relay $spec" >&2; exit 2 ;;
    esac
    if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; relay_pid=""; fi
    echo "rig $(date -u +%H:%M:%S) run=$r relay=$spec $line" | tee -a "$out"
  done
done
