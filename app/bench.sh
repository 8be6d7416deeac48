#!/usr/bin/env bash
# Measures the app for BENCHMARKS.md (release build): cold start to the first screen, memory
# (RSS of the app and its WebKit processes), and the interactions on the shortest paths.
# Needs a display (starts Xvfb when DISPLAY is unset) and the release server binary.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
cargo build --release -p masker19 -p masker19-server >/dev/null
export WEBKIT_DISABLE_COMPOSITING_MODE=1 MASKER19_KEYRING=off
if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:98
  Xvfb :98 -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  sleep 1
fi
work=$(mktemp -d)
server=$target/release/masker19-server
"$server" --db "$work/server.db" serve --listen 127.0.0.1:0 --demo > "$work/server.out" 2>/dev/null & spid=$!
trap 'kill $spid 2>/dev/null || true; kill ${xvfb:-} 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '^password=' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^url=//p' "$work/server.out"); code=$(sed -n 's/^enrollment_code=//p' "$work/server.out")
export MASKER19_DATA_DIR="$work/app"
"$target"/release/masker19 --server "$url" --enroll "$code" --pin 1919 >/dev/null

descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
rss_tree() { # RSS in kB of a process and all its descendants (shared pages counted per process)
  local total=0 p
  for p in "$1" $(descendants "$1"); do
    total=$(( total + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

runs=${RUNS:-5}
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  MASKER19_STARTUP_PROBE=1 "$target"/release/masker19 > "$work/app.out" 2>/dev/null & apid=$!
  for _ in $(seq 600); do grep -q first-screen "$work/app.out" 2>/dev/null && break; sleep 0.01; done
  end=$(date +%s%N)
  inner=$(sed -n 's/^first-screen ms=//p' "$work/app.out")
  sleep 2
  own=$(awk '/^VmRSS/ {print $2}' "/proc/$apid/status")
  all=$(rss_tree "$apid")
  echo "run $i: cold start to first screen $(( (end - start) / 1000000 )) ms (in-process ${inner} ms); RSS app $(( own / 1024 )) MB, app + WebKit $(( all / 1024 )) MB"
  kill "$apid"; wait "$apid" 2>/dev/null || true
done

# Memory after a full melding: the release build with the in-app driver compiled in (the
# `bench-driver` feature; the shipped build has none) walks every screen of the `melding`
# scenario (real key events for the typed fields) against the server, then holds still 3 s.
cargo build --release -p masker19 --features bench-driver >/dev/null
for i in $(seq "${MELDING_RUNS:-3}"); do
  data="$work/melding-$i"; mkdir -p "$data"
  # One enrolment code per device (a fresh one from the server); no PIN: the scenario sets it.
  fresh=$("$server" --db "$work/server.db" pharmacy code Demo-apotheek)
  MASKER19_DATA_DIR="$data" "$target"/release/masker19 --server "$url" --enroll "$fresh" >/dev/null
  MASKER19_DATA_DIR="$data" MASKER19_TEST_DRIVER=melding MASKER19_TEST_HOLD_MS=3000 \
    "$target"/release/masker19 > "$work/melding.out" 2>"$work/melding.err" & apid=$!
  for _ in $(seq 1200); do grep -q 'DRIVER OK' "$work/melding.out" 2>/dev/null && break; kill -0 "$apid" 2>/dev/null || break; sleep 0.1; done
  if ! grep -q 'DRIVER OK' "$work/melding.out"; then echo "melding run $i failed: $(cat "$work/melding.err")"; kill "$apid" 2>/dev/null || true; continue; fi
  sleep 2
  own=$(awk '/^VmRSS/ {print $2}' "/proc/$apid/status")
  all=$(rss_tree "$apid")
  echo "melding run $i: RSS after a full melding: app $(( own / 1024 )) MB, app + WebKit $(( all / 1024 )) MB"
  wait "$apid" 2>/dev/null || true
done
cargo build --release -p masker19 >/dev/null # the shipped build again, without the driver

echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
cargo test --release -q -p masker19 --lib the_shortest_path -- --nocapture 2>/dev/null | grep interactions || true
echo "interactions from any screen to 112: 1 (the 112 button on every screen)"
