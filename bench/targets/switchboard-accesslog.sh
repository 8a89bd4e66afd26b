# shellcheck shell=bash
# Harness target: Switchboard with its access log on (one line per request through logback's AsyncAppender
# to stdout, which the harness writes to results/<run>/logs/switchboard-accesslog.log). Compare it with the
# "switchboard" row of the same run to get the access log's cost. Added by: bench/run.sh --variant accesslog
: "${SB_ACCESSLOG_PORT:=18801}"
# shellcheck source=../lib-switchboard.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib-switchboard.sh"
sb_variant_target "$SB_ACCESSLOG_PORT" mock-model --server.access_log=true
