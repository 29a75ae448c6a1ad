#!/usr/bin/env bash
# Recorder cost (issue 14): 600 recorded calls (G.711 both legs, stereo Opus, encryption, rows),
# three runs; then 300 silent recorded calls (the phones send comfort noise: the idle recorder's
# cost); then 300 recorded calls talking, for the reference row at 300. Each run prints its report
# (switch CPU per call-second, per thread, loss, the recordings checked against their rows, the
# samples judged by opusinfo and ffprobe) and one Markdown row; everything also goes to
# $TMPDIR/recorder-cost-<UTC time>.log (summarise it in a dated note under bench/notes).
# Run it alone on the machine (2 cores: anything else running skews the CPU figures).
# A switch built from another commit (the before of a side-by-side) is passed as
#   SWITCH=/path/to/its/callswitch bench/scripts/recorder-cost.sh --no-build
# Usage: bench/scripts/recorder-cost.sh [--no-build] [extra harness options, e.g. --hold 60]
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build=1
if [[ "${1:-}" == "--no-build" ]]; then
  build=0
  shift
fi

if (( build )); then
  dotnet build bench/CallSwitch.LoadHarness -c Release --nologo -v quiet
fi

switch=()
if [[ -n "${SWITCH:-}" ]]; then
  switch=(--switch "$SWITCH")
fi

log="${TMPDIR:-/tmp}/recorder-cost-$(date -u +%Y-%m-%dT%H%M).log"
harness=(dotnet bench/CallSwitch.LoadHarness/bin/Release/net10.0/CallSwitch.LoadHarness.dll --hold 30 --record "${switch[@]}" "$@")
{
  echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) switch: ${SWITCH:-built here} load: $(cut -d' ' -f1-3 /proc/loadavg)"
  for run in 1 2 3; do
    echo "## 600 recorded, run $run ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))"
    "${harness[@]}" --calls 600 || echo "harness exit $?"
  done
  echo "## 300 recorded, silent calls ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))"
  "${harness[@]}" --calls 300 --silent || echo "harness exit $?"
  echo "## 300 recorded, talking ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))"
  "${harness[@]}" --calls 300 || echo "harness exit $?"
} 2>&1 | tee "$log"
echo "log: $log"
