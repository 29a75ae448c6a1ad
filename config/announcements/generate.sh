#!/usr/bin/env bash
# Regenerates the default GDPR recording notices shipped in this folder.
# Requires espeak-ng and sox (Debian/Ubuntu: apt-get install -y espeak-ng sox).
# Output: mono, 16-bit PCM, 16 kHz WAV files. The SHA-256 of each file is recorded in the
# call-recording metadata, so regenerating them (e.g. with another espeak-ng version) changes
# the hashes: update tests/CallSwitch.Media.Tests/Announcements/ShippedAnnouncementTests.cs too.
set -euo pipefail
cd "$(dirname "$0")"

EN_TEXT="This call may be recorded for training and appointment validation purposes. To refuse the recording, press 9 now."
FR_TEXT="Cet appel peut être enregistré à des fins de formation et de validation des rendez-vous. Pour refuser l'enregistrement, appuyez sur 9 maintenant."

make_notice() {
  local voice="$1" text="$2" out="$3"
  local raw
  raw="$(mktemp --suffix=.wav)"
  # espeak-ng writes 22050 Hz mono 16-bit; -s words per minute, -p pitch, -a amplitude.
  espeak-ng -v "$voice" -s 150 -p 50 -a 150 -w "$raw" "$text"
  # Resample to 16 kHz, normalise to -3 dBFS, add 300 ms of silence at each end.
  # -D: no dither, so the output is bit-for-bit reproducible; -V1: errors only.
  sox -V1 "$raw" -D -r 16000 -c 1 -b 16 -e signed-integer "$out" \
    gain -n -3 pad 0.3 0.3
  rm -f "$raw"
}

make_notice en-gb "$EN_TEXT" gdpr-notice-en.wav
make_notice fr-fr "$FR_TEXT" gdpr-notice-fr.wav
sha256sum gdpr-notice-en.wav gdpr-notice-fr.wav
