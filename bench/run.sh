#!/usr/bin/env bash
# Benchmark Switchboard against the shared harness's mock upstream (and, optionally, peer gateways), in one run.
#
#   bench/run.sh [OPTIONS] [PEER...]        PEER: portkey, ccr, bifrost (harness targets) or a target file
#
# Options:
#   --install-peers     npm-install the named peers that are missing (needs the npm registry; host network)
#   --variant NAME      also measure a Switchboard variant in the same run (repeatable):
#                         accesslog  server.access_log=true (the access log's cost)   port 18801
#                         auto       model "auto": classification + policy table      port 18802
#   --model NAME        model the main "switchboard" target requests (default mock-model: pinned)
#   --jar PATH          gateway jar (default target/switchboard.jar; built with Maven when missing)
#   --rebuild           run `mvn -q -B package -DskipTests` even if the jar exists
#   --port PORT         port of the main target (default 18800)
#   --no-apt            never call apt-get (fail if wrk/nginx/echo module/curl are missing)
#
# Knobs of the harness, passed through from the environment (defaults in ../shared/bench/run.sh):
#   CONCURRENCY="1 16 64 256" DURATION=10 REPS=3 WARMUP=30 (here; harness: 5) STREAM_TESTS="fast:1 fast:16 paced:1 paced:64"
#   STREAM_DURATION=10 LOAD_CPUS=0 MOCK_CPUS=0 GW_CPUS=1 PROMPT_BYTES=0 MOCK_* READY_TIMEOUT=60 BENCH_NETNS=1
# Gateway JVM flags: SB_JAVA_OPTS (see bench/lib-switchboard.sh). Harness location: BENCH_HARNESS
# (default ../shared/bench from the project root). Results: bench/results/<UTC time>/ (OUT overrides);
# scratch (pid files, mock config, installed peers): bench/.work/ (BENCH_WORK overrides).
#
# Quick look:  CONCURRENCY="1 16 64" DURATION=5 REPS=1 STREAM_TESTS="fast:1 paced:1" bench/run.sh
# Full:        bench/run.sh --install-peers --variant accesslog portkey ccr
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib-switchboard.sh"
cd "$SB_ROOT"

install_peers=0 no_apt=0 rebuild=0 model=mock-model port=18800 variants=() peers=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --install-peers) install_peers=1; shift ;;
    --variant) variants+=("$2"); shift 2 ;;
    --model) model=$2; shift 2 ;;
    --jar) SB_JAR=$(realpath -m "$2"); export SB_JAR; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    --port) port=$2; shift 2 ;;
    --no-apt) no_apt=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SB_BENCH/run.sh"; exit 0 ;;
    --) shift; peers+=("$@"); break ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) peers+=("$1"); shift ;;
  esac
done

say() { printf '[switchboard-bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

: "${BENCH_HARNESS:=$SB_ROOT/../shared/bench}"
[[ -x $BENCH_HARNESS/run-peer.sh ]] || die "harness not found at $BENCH_HARNESS (clone shared/ beside the project, or set BENCH_HARNESS)"
BENCH_HARNESS=$(cd "$BENCH_HARNESS" && pwd)
# the harness folder may be read-only: every write goes under bench/ (both folders are git-ignored)
: "${BENCH_WORK:=$SB_BENCH/.work}"
: "${OUT:=$SB_BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)}"
export BENCH_WORK OUT
# The harness warms each target up for WARMUP s (its default: 5) at the highest concurrency. A JVM pinned to one
# core shares that core with its JIT compiler: after 15 s of load C2 still took a third of the core
# (bench/profile.sh), so the default here is 30 s. Applies to every target of the run; WARMUP=... overrides.
: "${WARMUP:=30}"
export WARMUP
mkdir -p "$BENCH_WORK"

# (a) Debian packages the harness needs (node and npm come with the image).
missing=()
for tool in wrk nginx curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[[ ${#missing[@]} -eq 0 ]] || missing=(wrk nginx-light curl)
dpkg -s libnginx-mod-http-echo >/dev/null 2>&1 || missing+=(libnginx-mod-http-echo)
if [[ ${#missing[@]} -gt 0 ]]; then
  [[ $no_apt == 0 ]] || die "missing packages: ${missing[*]} (--no-apt given)"
  sudo=''; [[ $(id -u) == 0 ]] || sudo=sudo
  say "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk nginx-light libnginx-mod-http-echo curl >/dev/null
fi
for tool in node taskset; do command -v "$tool" >/dev/null || die "$tool missing"; done

# (b) The gateway jar. Inside the harness's private network namespace nothing can be downloaded, so build first.
if [[ $rebuild == 1 || ! -e $SB_JAR ]]; then
  [[ $SB_JAR == "$SB_ROOT/target/switchboard.jar" ]] || die "$SB_JAR is missing (only the default jar is built here)"
  command -v mvn >/dev/null || die "mvn missing: cannot build $SB_JAR"
  say "building $SB_JAR"
  mvn -q -B package -DskipTests
fi
[[ -e $SB_JAR ]] || die "$SB_JAR missing after the build"
if [[ $SB_JAR == "$SB_ROOT/target/switchboard.jar" ]] && [[ -n $(find src pom.xml -newer "$SB_JAR" -print -quit 2>/dev/null) ]]; then
  say "warning: $SB_JAR is older than the sources (measuring the old build; --rebuild to refresh it)"
fi

# (c) Peers: installed under bench/.work/peers by the harness's own installer (pinned versions).
peer_installed() {
  local d=$BENCH_WORK/peers/$1/node_modules
  case $1 in
    portkey) [[ -e $d/@portkey-ai/gateway/build/start-server.js ]] ;;
    ccr) [[ -e $d/@musistudio/claude-code-router/dist/cli.js ]] ;;
    bifrost) [[ -e $d/@maximhq/bifrost/package.json ]] ;;
    *) return 0 ;;                      # a target file: nothing to install
  esac
}
to_install=()
for p in ${peers[@]+"${peers[@]}"}; do peer_installed "$p" || to_install+=("$p"); done
if [[ ${#to_install[@]} -gt 0 ]]; then
  if [[ $install_peers == 1 ]]; then
    say "installing peers: ${to_install[*]}"
    "$BENCH_HARNESS/peers/install.sh" "${to_install[@]}"
  else
    say "not installed: ${to_install[*]} (the harness will report them NOT RUN; add --install-peers)"
  fi
fi

# Unpinned (GW_CPUS set and empty): one HTTP verticle per core instead of the config's 1. The environment
# override reaches every Switchboard target of the run (the harness passes its environment on).
if [[ ${GW_CPUS+set} == set && -z $GW_CPUS && -z ${SWITCHBOARD_SERVER__INSTANCES:-} ]]; then
  export SWITCHBOARD_SERVER__INSTANCES=0
  say "GW_CPUS empty: unpinned gateway, server.instances=0 (one per core)"
fi

# Variants of Switchboard measured in the same run are target files of our own.
extra=()
for v in ${variants[@]+"${variants[@]}"}; do
  f=bench/targets/switchboard-$v.sh
  [[ -e $f ]] || die "no variant '$v' (bench/targets/switchboard-*.sh)"
  extra+=("$f")
done

# (d) The run: direct (the mock alone), switchboard, then variants and peers, interleaved per repetition.
start=$(sb_start_command)
say "start command: $start"
say "results: ${OUT#"$SB_ROOT"/}"
status=0
"$BENCH_HARNESS/run-peer.sh" --name switchboard --start "$start" --port "$port" \
  --url "http://127.0.0.1:$port/v1/chat/completions" --api openai \
  --model "$model" --model-paced mock-paced --version "$(sb_version)" \
  -- ${extra[@]+"${extra[@]}"} ${peers[@]+"${peers[@]}"} || status=$?

# The access-log variant writes one line per request: keep the results folder small.
f=$OUT/logs/switchboard-accesslog.log
if [[ -e $f && $(stat -c %s "$f") -gt 10000000 ]]; then gzip -f "$f"; fi
[[ -e $OUT/summary.md ]] && say "summary: ${OUT#"$SB_ROOT"/}/summary.md"
exit "$status"
