#!/usr/bin/env bash
# Supervision under load (issue 12): 300 relayed calls through the real switch, first with
# nobody supervising (the baseline of the same minute), then with 30 of them monitored in
# listen mode, then in whisper mode. Each run prints its table, the mixed streams' figures
# (loss by sequence number, skipped ticks by timestamp) and one Markdown row; everything also
# goes to $TMPDIR/supervision-load-<UTC time>.log (summarise it in a dated note under bench/notes).
# Run it alone on the machine (2 cores: anything else running skews the CPU figures).
# Usage: bench/scripts/supervision-load.sh [--no-build] [extra harness options, e.g. --hold 60]
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

log="${TMPDIR:-/tmp}/supervision-load-$(date -u +%Y-%m-%dT%H%M).log"
harness=(dotnet run -c Release --no-build --project bench/CallSwitch.LoadHarness -- --calls 300 --hold 30 "$@")
{
  echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "## 300 relayed, none monitored"
  "${harness[@]}"
  echo "## 300 relayed, 30 monitored, listen"
  "${harness[@]}" --monitored 30 --mode listen
  echo "## 300 relayed, 30 monitored, whisper"
  "${harness[@]}" --monitored 30 --mode whisper
} 2>&1 | tee "$log"
echo "log: $log"
