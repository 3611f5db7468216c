#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Times a command N times: wall and CPU (user + sys) per run, median, min and max, and the load
# average (docs/benchmarks.md, "CLI start-up"). Usage: scripts/time-cli.sh N ./arbiter workload list
set -u
n=$1; shift
err="$(mktemp)"; trap 'rm -f "$err"' EXIT
ws=(); cs=()
for _ in $(seq "$n"); do
  TIMEFORMAT='%R %U %S'
  t=$( { time "$@" >/dev/null 2>"$err"; } 2>&1 ) || echo "FAIL: $(cat "$err")"
  read -r r u s <<<"$(echo "$t" | tail -1)"
  ws+=($(awk -v r="$r" 'BEGIN{printf "%d", r*1000}'))
  cs+=($(awk -v u="$u" -v s="$s" 'BEGIN{printf "%d", (u+s)*1000}'))
done
summary() { local a=($(printf '%s\n' "$@" | sort -n)); local k=${#a[@]}; echo "median ${a[$(( (k-1)/2 ))]}/${a[$(( k/2 ))]} min ${a[0]} max ${a[$((k-1))]}"; }
echo "wall ms: ${ws[*]} -> $(summary "${ws[@]}")"
echo "cpu  ms: ${cs[*]} -> $(summary "${cs[@]}")"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
