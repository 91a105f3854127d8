#!/usr/bin/env bash
# The silo-crash benchmark (issue 6, item 1): 3 Pta.Silo processes on PostgreSQL clustering (production profile) and a
# client-only gateway; one city-wide emergency to 100,000 guardians into a dumping smtp-sink, paced by the engine's own
# cluster-wide shaping at 1,250 messages/s (about 80 s of sending); every 10 s a silo picked at random gets kill -9
# and is started again at once on the same ports, 5 times; then every message the sink accepted is read back by
# Message-ID.
#
# usage: benchmarks/chaos.sh [--recipients N=100000] [--silos K=3] [--kills K=5] [--kill-every S=10] [--rate R=1250]
# prints, last: CHAOS kills=K recipients=N lost=X duplicates=D recovery_s=R
#   K kills done; X recipients the sink never accepted; D records beyond the first per Message-ID (each duplicate is
#   listed above it by Message-ID, placed against the kills); R the longest pause in the sink's acceptances after a
#   kill, in seconds. Exit code 0 only when lost=0, D <= 0.1% of N, R <= 90 and every kill was done.
# Loopback only; starts and stops everything it needs (PostgreSQL, smtp-sink, the silos, the gateway) through the
# fan-out benchmark's machinery and ends by itself within 15 minutes. See docs/benchmarks.md, "Chaos".
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}"; exit 0 ;; esac
exec bash "$(dirname "${BASH_SOURCE[0]}")/fanout.sh" --chaos "$@"
