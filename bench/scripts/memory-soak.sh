#!/usr/bin/env bash
# Memory (issue 14): the switch's bytes per concurrent call and its collector's pauses.
#   1. CALLS relayed calls, a HOLD-second window      -> bytes per call, relayed
#   2. CALLS recorded calls, a HOLD-second window     -> bytes per call, recorded
#   3. CALLS recorded calls held SOAK seconds          -> growth (RSS slope, first vs last 5 minutes)
#                                                        and GC pauses over the long run
#   4. with CHURN > 0: CALLS recorded calls of CHURN seconds each, replaced at once (CALLS/CHURN
#      calls start and end per second), a HOLD-second window -> what ended calls leave behind
#      (an ended call stays reachable while its INVITE client transaction waits out Timer M, 32 s)
# With HALF > 0 (default CALLS/2), steps 1 and 2 also run at HALF calls: the marginal bytes per
# call, (median RSS at CALLS − median RSS at HALF) / (CALLS − HALF), leaves out what the first call
# costs once (JIT'd code, pools, threads), which the per-run figure (over the idle RSS) includes.
# Each run prints its report (memory section, GC in the window, the Markdown rows); everything
# also goes to $TMPDIR/memory-soak-<UTC time>.log, and a summary of the memory rows ends it.
# Run it alone on the machine (2 cores). The soak writes CALLS recordings of SOAK seconds into the
# harness's temp folder (600 × 30 min ≈ 4.8 GB at ~35 kbit/s), checked then deleted.
# Usage: [CALLS=600] [HOLD=60] [SOAK=1800] [HALF=300] [CHURN=0] bench/scripts/memory-soak.sh [--no-build] [extra harness options]
# Smoke: CALLS=20 HOLD=15 SOAK=40 HALF=0 bench/scripts/memory-soak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

calls="${CALLS:-600}"
hold="${HOLD:-60}"
soak="${SOAK:-1800}"
half="${HALF:-$((calls / 2))}"
churn="${CHURN:-0}"
for v in "$calls" "$hold" "$soak" "$half" "$churn"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "CALLS, HOLD, SOAK, HALF and CHURN must be whole numbers (got '$v')" >&2; exit 2; }
done
(( calls > 0 && hold > 0 && soak > 0 && half < calls )) || { echo "need CALLS > 0, HOLD > 0, SOAK > 0 and HALF < CALLS" >&2; exit 2; }

build=1
if [[ "${1:-}" == "--no-build" ]]; then
  build=0
  shift
fi

if (( build )); then
  dotnet build bench/CallSwitch.LoadHarness -c Release --nologo -v quiet
fi

log="${TMPDIR:-/tmp}/memory-soak-$(date -u +%Y-%m-%dT%H%M).log"
harness=(dotnet bench/CallSwitch.LoadHarness/bin/Release/net10.0/CallSwitch.LoadHarness.dll --samples 5 "$@")

# One harness run under a "## title" line; its output goes to the log.
run() {
  local title="$1"
  shift
  echo "## $title ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))"
  "${harness[@]}" "$@" || echo "harness exit $?"
}

# The median RSS in the window (MiB) of the run under "## title" in the log.
median_of() {
  awk -v t="## $1 (" 'index($0, t) == 1 { on = 1; next } /^## / { on = 0 } on && /rss in window/ { for (i = 1; i <= NF; i++) if ($i == "median") print $(i + 1) }' "$log" | tail -1
}

{
  echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) memory soak: $calls calls, window $hold s, soak $soak s, half $half, churn $churn; load $(cut -d' ' -f1-3 /proc/loadavg)"
  run "$calls relayed" --calls "$calls" --hold "$hold"
  if (( half > 0 )); then run "$half relayed" --calls "$half" --hold "$hold"; fi
  run "$calls recorded" --calls "$calls" --hold "$hold" --record
  if (( half > 0 )); then run "$half recorded" --calls "$half" --hold "$hold" --record; fi
  run "$calls recorded, soak" --calls "$calls" --hold "$soak" --record
  if (( churn > 0 )); then run "$calls recorded, churn $churn s" --calls "$calls" --hold "$hold" --record --churn-seconds "$churn"; fi
} 2>&1 | tee "$log"

{
  echo
  echo "## summary (memory rows; the first row of each pair is the header)"
  grep -E '^## |^\| calls \| recorded|^\| [0-9]+ \| (yes|no) \|' "$log" | grep -v '^## summary'
  if (( half > 0 )); then
    for kind in relayed recorded; do
      full="$(median_of "$calls $kind")"
      part="$(median_of "$half $kind")"
      if [[ -n "$full" && -n "$part" ]]; then
        awk -v f="$full" -v p="$part" -v n="$((calls - half))" -v k="$kind" -v c="$calls" -v h="$half" \
          'BEGIN { printf "marginal bytes per %s call: (%.1f - %.1f MiB) / %d calls = %.0f B (%d vs %d calls)\n", k, f, p, n, (f - p) * 1048576 / n, c, h }'
      else
        echo "marginal bytes per $kind call: not computed (a run printed no RSS median)"
      fi
    done
  fi
} 2>&1 | tee -a "$log"
echo "log: $log"
