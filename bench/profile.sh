#!/usr/bin/env bash
# Profile Switchboard under load: mock upstream + gateway + wrk, all on loopback, with Java Flight Recorder on,
# then print where the gateway's CPU goes during the measured window (warm-up excluded).
#
#   bench/profile.sh [--conns 64] [--duration 20] [--warmup 15] [--mode json|fast|paced] [--model mock-model]
#                    [--sample-ms 5] [--prompt-bytes 0] [--access-log] [--jar PATH] [-- EXTRA GATEWAY ARGS...]
#
#   --mode json   wrk, closed loop, non-streaming chat completions (default)
#   --mode fast   the harness's SSE client: streams, all 20 chunks at once
#   --mode paced  the same with the mock's pacing (50 ms to the first chunk, 10 ms between chunks)
#   --prompt-bytes N  pad the user message by N bytes, as the harness's PROMPT_BYTES (e.g. 30000: agent-sized)
#
# Pinning as in the harness: load + mock on CPU 0 (LOAD_CPUS, MOCK_CPUS), gateway on CPU 1 (GW_CPUS).
# Runs inside a private loopback-only network namespace when root (BENCH_NETNS=0 to skip). Every process it
# starts is recorded by PID and stopped on exit. Output: bench/results/profile-<UTC time>/ (OUT overrides):
#   gateway.jfr  the recording (open it in JDK Mission Control for flame graphs)
#   hot.txt      the summary printed at the end (java bench/JfrHot.java, see there)
#   wrk.txt, gateway.log
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib-switchboard.sh"
cd "$SB_ROOT"

conns=64 duration=20 warmup=15 mode=json model=mock-model sample_ms=5 prompt_bytes=0 access_log=false extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --conns) conns=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --sample-ms) sample_ms=$2; shift 2 ;;
    --prompt-bytes) prompt_bytes=$2; shift 2 ;;
    --access-log) access_log=true; shift ;;
    --jar) SB_JAR=$(realpath -m "$2"); export SB_JAR; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SB_BENCH/profile.sh"; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case $mode in json|fast|paced) ;; *) echo "--mode: json, fast or paced" >&2; exit 2 ;; esac
(( duration <= 120 && warmup <= 120 && conns <= 1024 )) || { echo "duration/warmup capped at 120 s, conns at 1024" >&2; exit 2; }

: "${BENCH_HARNESS:=$SB_ROOT/../shared/bench}"
BENCH_HARNESS=$(cd "$BENCH_HARNESS" && pwd)
# own scratch (mock config, pid files) so a bench/run.sh running at the same time is not disturbed
: "${BENCH_WORK:=$SB_BENCH/.work/profile}"
export BENCH_WORK BENCH_RUN="$BENCH_WORK/run"
: "${OUT:=$SB_BENCH/results/profile-$(date -u +%Y%m%dT%H%M%SZ)}"
export OUT
: "${LOAD_CPUS=0}" "${MOCK_CPUS=0}" "${GW_CPUS=1}"
if [[ $(nproc) -lt 2 ]]; then LOAD_CPUS='' MOCK_CPUS='' GW_CPUS=''; fi
: "${MOCK_PORT:=18180}" "${GW_PORT:=18900}"
export LOAD_CPUS MOCK_CPUS GW_CPUS MOCK_PORT GW_PORT SB_JAR
# shellcheck source=/dev/null
source "$BENCH_HARNESS/lib.sh"
for tool in wrk nginx node curl taskset; do command -v $tool >/dev/null || die "$tool missing: run bench/run.sh once (it installs them)"; done
[[ -e $SB_JAR ]] || die "$SB_JAR missing: mvn -q -B package -DskipTests (or bench/run.sh, which builds it)"
again=(--conns "$conns" --duration "$duration" --warmup "$warmup" --mode "$mode" --model "$model"
  --sample-ms "$sample_ms" --prompt-bytes "$prompt_bytes")
[[ $access_log == true ]] && again+=(--access-log)
in_private_netns "$SB_BENCH/profile.sh" "${again[@]}" -- ${extra[@]+"${extra[@]}"}

export MOCK_BASE="http://127.0.0.1:$MOCK_PORT"
mkdir -p "$OUT"
trap stop_all EXIT
trap 'exit 130' INT TERM

# request bodies: the harness's (describe() in its run.sh)
sys='You are a helpful assistant.' q='Say hello in one short sentence.'
if (( prompt_bytes > 0 )); then
  q="$q $(head -c "$prompt_bytes" < <(yes 'lorem ipsum dolor sit amet' | tr '\n' ' '))"
fi
paced_model=mock-paced; [[ $mode == paced ]] && model=$paced_model
stream=''; [[ $mode != json ]] && stream=',"stream":true'
printf '{"model":"%s","messages":[{"role":"system","content":"%s"},{"role":"user","content":"%s"}],"max_tokens":64,"temperature":0.2%s}\n' \
  "$model" "$sys" "$q" "$stream" >"$OUT/body.json"
# readiness is checked with a whole (non-streaming) completion, as the harness does
printf '{"model":"mock-model","messages":[{"role":"user","content":"%s"}]}\n' "$q" >"$OUT/probe.json"
url="http://127.0.0.1:$GW_PORT/v1/chat/completions"

"$BENCH_HARNESS/mock-upstream/mock.sh" start

jfr="-XX:StartFlightRecording:name=bench,settings=profile,jdk.ExecutionSample#period=${sample_ms}ms"
jfr+=",filename=$OUT/gateway.jfr,dumponexit=true"
cmd=$(sb_start_command --server.access_log="$access_log" ${extra[@]+"${extra[@]}"})
cmd=${cmd/java /java $jfr -XX:FlightRecorderOptions:stackdepth=128 }
log "gateway: $cmd"
start_bg switchboard-profile "$OUT/gateway.log" "$GW_CPUS" env MOCK_BASE="$MOCK_BASE" GW_PORT="$GW_PORT" bash -c "exec $cmd"
gw_pid=$(cat "$BENCH_RUN/switchboard-profile.pid")

ok=0
for _ in $(seq 240); do
  kill -0 "$gw_pid" 2>/dev/null || { tail -n 20 "$OUT/gateway.log" >&2; die "the gateway exited during start-up"; }
  if curl -s -m 5 -o "$OUT/probe.out" -H 'Content-Type: application/json' --data-binary @"$OUT/probe.json" "$url" \
      && grep -q 'canned reply' "$OUT/probe.out"; then ok=1; break; fi
  sleep 0.25
done
[[ $ok == 1 ]] || die "no successful completion through the gateway within 60 s: $(head -c 200 "$OUT/probe.out" 2>/dev/null)"
log "gateway ready (pid $gw_pid)"

load() { # SECONDS -> prints the BENCH_RESULT line
  if [[ $mode == json ]]; then
    BENCH_BODY_FILE="$OUT/body.json" BENCH_HEADERS='Authorization: Bearer sk-mock' $(pin_prefix "$LOAD_CPUS") \
      wrk -t1 -c"$conns" -d"${1}s" --timeout 10s -s "$BENCH_HARNESS/load/post.lua" "$url" 2>&1
  else
    $(pin_prefix "$LOAD_CPUS") node "$BENCH_HARNESS/load/sse-client.mjs" --url "$url" --body-file "$OUT/body.json" \
      --header 'Authorization: Bearer sk-mock' --concurrency "$conns" --duration "$1" --warmup 0 --expect '[DONE]' 2>&1
  fi
}

log "warm-up: $mode, $conns connections, ${warmup}s"
load "$warmup" >"$OUT/warmup.txt" || true
# run-queue delay of the gateway's threads (/proc/.../schedstat, 2nd field): time they were runnable but another
# process had their core. Large values mean the figures are limited by other load on the machine, not the gateway.
run_delay_ms() { cat /proc/"$gw_pid"/task/*/schedstat 2>/dev/null | awk '{s += $2} END {printf "%d\n", s / 1e6}'; }
cpu0=$(group_cpu_ms "$gw_pid"); wait0=$(run_delay_ms); from=$(date +%s%3N)
log "measuring: $mode, $conns connections, ${duration}s (JFR on)"
load "$duration" >"$OUT/wrk.txt" || true
to=$(date +%s%3N); cpu1=$(group_cpu_ms "$gw_pid"); wait1=$(run_delay_ms)
waited="gateway threads waited $((wait1 - wait0)) ms for a CPU (summed over threads) in the $(( (to - from) / 1000 )) s window (run-queue delay: its core was busy with other threads or processes)"
r=$(grep BENCH_RESULT "$OUT/wrk.txt" || true)
[[ -n $r ]] || { cat "$OUT/wrk.txt" >&2; die "the load generator gave no result"; }
n=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$r")
log "result: $r"
log "gateway CPU in the window: $((cpu1 - cpu0)) ms, $(awk -v c=$((cpu1 - cpu0)) -v n="$n" 'BEGIN{printf "%.1f", n ? c*1000/n : 0}') µs per request"
log "$waited"
stop_bg switchboard-profile             # TERM: the JVM writes gateway.jfr on exit
"$BENCH_HARNESS/mock-upstream/mock.sh" stop
if [[ $access_log == true ]]; then       # one line per request: keep the folder small, keep the count
  lines=$(grep -c 'io.switchboard.access' "$OUT/gateway.log" || true)
  grep -v 'io.switchboard.access' "$OUT/gateway.log" >"$OUT/gateway.log.tmp" || true
  echo "($lines access-log lines removed by profile.sh)" >>"$OUT/gateway.log.tmp"
  mv "$OUT/gateway.log.tmp" "$OUT/gateway.log"
  log "access log: $lines lines written (requests: warm-up + window + probe)"
fi
[[ -s $OUT/gateway.jfr ]] || die "no recording at $OUT/gateway.jfr (see $OUT/gateway.log)"

{
  echo "# Switchboard profile: $mode, $conns connections, ${duration}s after ${warmup}s warm-up; $(sb_version)"
  echo "# load: $r"
  echo "# $waited; request body $(wc -c <"$OUT/body.json") bytes"
  echo "# gateway CPU in the window: $((cpu1 - cpu0)) ms ($(awk -v c=$((cpu1 - cpu0)) -v n="$n" 'BEGIN{printf "%.1f", n ? c*1000/n : 0}') µs/request); pinning load=[${LOAD_CPUS:-any}] mock=[${MOCK_CPUS:-any}] gateway=[${GW_CPUS:-any}]"
  echo
  java "$SB_BENCH/JfrHot.java" "$OUT/gateway.jfr" --from "$from" --to "$to" --requests "$n" --top 25
} >"$OUT/hot.txt"
cat "$OUT/hot.txt"
log "results: ${OUT#"$SB_ROOT"/}/hot.txt (recording: gateway.jfr)"
