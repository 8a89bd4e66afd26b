# shellcheck shell=bash
# Harness target: Switchboard asked for model "auto", so every request goes through the policy table
# (routing.policies.auto:bench) after classification, instead of the pinned model name. The paced stream
# test stays pinned to mock-paced (a policy cannot choose the mock's paced behaviour).
# Added by: bench/run.sh --variant auto
: "${SB_AUTO_PORT:=18802}"
# shellcheck source=../lib-switchboard.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib-switchboard.sh"
sb_variant_target "$SB_AUTO_PORT" auto
