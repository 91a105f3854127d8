#!/usr/bin/env bash
# The bulk roster path at city scale: N guardians over N/2000 schools imported as one CSV through the board
# endpoint, against a throwaway PostgreSQL and a gateway in the production profile (co-hosted silo).
#
# usage: benchmarks/roster-import.sh [GUARDIANS=1000000]
# prints, last: IMPORT guardians=N schools=S csv_mb=M seconds=T rows_per_s=R children=C
# Loopback only; starts and stops everything itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-1000000}
per_school=2000
schools=$(( (n + per_school - 1) / per_school ))
source benchmarks/throwaway-postgres.sh
work=$(mktemp -d /tmp/pta-import.XXXXXX)
chmod 755 "$work"
gateway_pid=""

cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null || true
  pg_stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT

pg_start "$work/pg"

echo "building..." >&2
dotnet build -c Release src/Pta.Gateway -v q -nologo >/dev/null
http_port=$(free_port)
export Pta__Cluster__Mode=PostgreSql Pta__Cluster__SiloPort=$(free_port) Pta__Cluster__GatewayPort=$(free_port)
export Pta__Postgres__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=pta;Database=pta"
export Pta__Links__SigningKey=$(head -c 32 /dev/urandom | base64) Pta__Demo__Seed=true Pta__DataDirectory="$work/data"
export Pta__AtRest__Keys__1=$(head -c 32 /dev/urandom | base64) Pta__AtRest__LookupKey=$(head -c 32 /dev/urandom | base64)
export Urls="http://127.0.0.1:$http_port" Logging__LogLevel__Default=Warning
(cd src/Pta.Gateway && exec dotnet bin/Release/net10.0/Pta.Gateway.dll) >"$work/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 120); do [ -f "$work/data/demo.json" ] && break; sleep 0.5; done
token=$(python3 -c "import json;print(json.load(open('$work/data/demo.json'))['board']['token'])")
base="http://127.0.0.1:$http_port/api/v1/boards/demo-city"

echo "registering $schools schools..." >&2
for i in $(seq 0 $((schools - 1))); do
  printf '{"name":"ベンチ市立第%d小学校","senderAddress":"bench-%04d@mail.demo-city.example","senderName":"第%d小学校"}' "$i" "$i" "$i" \
    > "$work/school.json"
  curl -sf -X PUT "$base/schools/bench-$(printf %04d "$i")" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' --data @"$work/school.json" >/dev/null
done

echo "writing the CSV..." >&2
python3 - "$n" "$per_school" "$work/city.csv" <<'PY'
import sys
n, per, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
carriers = ["docomo.ne.jp"] * 8 + ["ezweb.ne.jp"] * 3 + ["au.com"] * 2 + ["softbank.ne.jp"] * 4 + ["gmail.com"] * 3
with open(path, "w", encoding="utf-8") as f:
    f.write("school_id,grade,class,child_name,guardian_name,address1\n")
    for g in range(n):
        s = g // per
        f.write(f"bench-{s:04d},{g % 6 + 1},{g // 6 % 4 + 1},児童{g},保護者{g},hogosha{g:07d}@{carriers[g % len(carriers)]}\n")
PY
csv_mb=$(python3 -c "import os;print(round(os.path.getsize('$work/city.csv')/1048576,1))")

echo "importing..." >&2
start=$(date +%s.%N)
result=$(curl -sf -X POST "$base/roster" -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
  --data-binary @"$work/city.csv" --max-time 1800)
end=$(date +%s.%N)
children=$(python3 -c "import json,sys;print(json.loads(sys.argv[1])['children'])" "$result")
awk -v n="$n" -v s="$schools" -v m="$csv_mb" -v a="$start" -v e="$end" -v c="$children" \
  'BEGIN { t = e - a; printf "IMPORT guardians=%d schools=%d csv_mb=%s seconds=%.1f rows_per_s=%.0f children=%d\n", n, s, m, t, n / t, c }'
