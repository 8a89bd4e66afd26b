# shellcheck shell=bash
# Switchboard-specific helpers shared by bench/run.sh, bench/profile.sh and bench/targets/*.sh.
# Source it; do not execute it. Everything is computed from this file's location, so it works from any cwd.

SB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)   # the project root
SB_BENCH=$SB_ROOT/bench
: "${SB_JAR:=$SB_ROOT/target/switchboard.jar}"
: "${SB_CONF:=$SB_BENCH/switchboard-bench.yaml}"
# JVM for a gateway pinned to one core (GW_CPUS=1): the JVM already sizes itself from the CPU affinity
# (availableProcessors() = 1), so only the collector and a fixed heap are set:
#   Serial GC   one core: a parallel or concurrent collector only adds threads that take turns on it
#   -Xms=-Xmx + AlwaysPreTouch   no heap resizing or first-touch page faults during measurements
#   -Xmn        a large young generation: request garbage dies young, fewer minor GCs
: "${SB_JAVA_OPTS:=-XX:+UseSerialGC -Xms1g -Xmx1g -Xmn512m -XX:+AlwaysPreTouch}"
export SB_JAR SB_CONF SB_JAVA_OPTS

# sb_start_command [EXTRA ARG...]: the foreground start command for the harness (run under bash -c "exec CMD",
# so it must NOT begin with "exec" itself). $MOCK_BASE and $GW_PORT stay literal: the harness sets them.
sb_start_command() {
  local extra='' a
  for a in "$@"; do extra+=" $(printf '%q' "$a")"; done
  # shellcheck disable=SC2016
  printf 'java %s -jar %q --conf %q --providers.mock.base_url=$MOCK_BASE/v1 --server.port=$GW_PORT%s' \
    "$SB_JAVA_OPTS" "$SB_JAR" "$SB_CONF" "$extra"
}

sb_version() {
  local rev
  rev=$(git -C "$SB_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
  printf 'switchboard %s, jar %s, java %s, %s' "$rev" \
    "$(date -u -r "$SB_JAR" +%Y-%m-%dT%H:%MZ 2>/dev/null || echo missing)" \
    "$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)" "$SB_JAVA_OPTS"
}

# sb_variant_target PORT MODEL [EXTRA ARG...]: body of a variant target file for ../shared/bench/run.sh
# (sets TARGET_* and defines target_start, as the harness's targets/custom.sh does).
# shellcheck disable=SC2034,SC2317   # TARGET_* are read by the harness; target_start is called by it
sb_variant_target() {
  local port=$1 model=$2; shift 2
  TARGET_API=openai
  TARGET_URL="http://127.0.0.1:$port/v1/chat/completions"
  TARGET_HEADERS='Authorization: Bearer sk-mock'
  TARGET_MODEL=$model
  TARGET_MODEL_PACED=mock-paced
  TARGET_VERSION="$(sb_version)${*:+; $*}"
  SB_VARIANT_PORT=$port
  SB_VARIANT_CMD=$(sb_start_command "$@")
  target_start() {
    [[ -e $SB_JAR ]] || die "no $SB_JAR: build it first (bench/run.sh builds it when missing)"
    start_bg "$TARGET_NAME" "$TARGET_LOG" "$GW_CPUS" env MOCK_BASE="$MOCK_BASE" GW_PORT="$SB_VARIANT_PORT" \
      BENCH_WORK="$BENCH_WORK" bash -c "exec $SB_VARIANT_CMD"
  }
}
