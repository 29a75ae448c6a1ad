#!/usr/bin/env bash
# The relay-comparison rig: the same RTP generator (rtpgen.c) against the minimal C relay
# (crelay.c, recvmmsg/sendmmsg) and against the switch's relay (MediaRelay in a bare host,
# bench/CallSwitch.Benchmarks --relay-rig), one after the other in one run. See README.md.
#
#   bench/relay-rig/run.sh [--calls N] [--warmup S] [--window S] [--repeat R] RELAY...
#
# RELAY: [LABEL=]c | [LABEL=]direct | [LABEL=]switch[@DLL][,OPTION,VALUE...]   e.g. switch,--poll-ms,2
#   direct: the generator alone, its sockets sending to each other (its own latency floor).
#   switch: the benchmarks' build (bench/CallSwitch.Benchmarks/bin/Release/net10.0, built here
#   unless NO_BUILD=1), or the CallSwitch.Benchmarks.dll named after @ (another build).
# PERF_DIR=DIR: also records a profile of the relay over each window (perf ${PERF_CMD:-record} $PERF_ARGS,
# default "-F 999 -g"; "-k mono -F 4999" with `perf inject --jit` annotates the JIT's code), the switch
# with DOTNET_PerfMapEnabled=1 and W^X off so that perf resolves JIT frames) to DIR/<run>-<relay>.data; perf costs CPU: profile runs are not
# measurement runs.
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
perf_pid=""
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

# With PERF_DIR: perf record over the coming window, in the background (waited for at the end).
profile() {
  [ -n "${PERF_DIR:-}" ] || return 0
  mkdir -p "$PERF_DIR"
  local name
  name="$r-$(printf '%s' "$label" | tr -c 'A-Za-z0-9' '_' | cut -c1-60)"
  (sleep "$warmup"; perf ${PERF_CMD:-record} ${PERF_ARGS:--F 999 -g} -p "$relay_pid" -o "$PERF_DIR/$name.data" -- sleep "$window" >/dev/null 2>&1) &
  perf_pid=$!
}

for r in $(seq 1 "$repeat"); do
  for named in "${relays[@]}"; do
    label="$named" spec="$named"
    if [[ "$named" =~ ^([A-Za-z0-9_.+-]+)=(.*)$ ]]; then label="${BASH_REMATCH[1]}" spec="${BASH_REMATCH[2]}"; fi
    rm -f "$work/ports"
    relay_pid=""
    case "$spec" in
      c)
        "$work/crelay" "$calls" "$work/ports" 2 & relay_pid=$!
        wait_for_ports
        profile
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
        DOTNET_PerfMapEnabled="${PERF_DIR:+1}" DOTNET_EnableWriteXorExecute="${PERF_DIR:+0}" DOTNET_gcServer=0 dotnet "$dll" --relay-rig "$calls" "$work/ports" "${options[@]}" > "$work/host.log" 2>&1 & relay_pid=$!
        wait_for_ports
        profile
        line=$("$work/rtpgen" "$work/ports" "$relay_pid" "$warmup" "$window") ;;
      *) echo "run.sh: unknown relay $spec" >&2; exit 2 ;;
    esac
    if [ -n "$perf_pid" ]; then wait "$perf_pid" || true; perf_pid=""; fi # the profile of this run
    if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; relay_pid=""; fi
    echo "rig $(date -u +%H:%M:%S) run=$r relay=$label $line" | tee -a "$out"
  done
done
