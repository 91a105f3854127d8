#!/usr/bin/env bash
# The loopback SMTP ceiling of this machine: how fast Postfix's smtp-source can push N messages of
# SIZE bytes over SESSIONS reused connections (-d) into smtp-sink, which answers 250 and discards.
# Both are small C programs, so no sender of ours can beat this on the same machine; the fan-out
# scenario (dotnet run ... -- smtp) reports its rate as a ratio of this. See docs/benchmarks.md.
#
# usage: benchmarks/smtp-limit.sh [MESSAGES=200000] [SIZE=2000] [SESSIONS=16] [PORT=free]
# prints, last: LIMIT messages=N size=B sessions=S seconds=T rate=R
set -euo pipefail
messages=${1:-200000}
size=${2:-2000}
sessions=${3:-16}
port=${4:-}

die() { echo "smtp-limit: $*" >&2; exit 2; }
for v in "$messages" "$size" "$sessions" ${port:+"$port"}; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || die "arguments must be positive whole numbers: $*"
done

export PATH="$PATH:/usr/sbin:/usr/local/sbin"

# Postfix brings the two tools. Another job may hold the apt/dpkg lock for a moment: wait and retry.
install_postfix() {
  [ "$(id -u)" -eq 0 ] || die "smtp-sink/smtp-source missing and not root: apt-get install postfix first"
  echo "smtp-limit: installing postfix for smtp-sink and smtp-source" >&2
  local try
  for try in 1 2 3 4 5 6; do
    if apt-get -o DPkg::Lock::Timeout=60 update -qq >/dev/null 2>&1 &&
       DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 install -y -qq postfix >/dev/null 2>&1; then
      return 0
    fi
    echo "smtp-limit: apt-get failed (try $try, lock held?); retrying in 10 s" >&2
    sleep 10
  done
  die "cannot install postfix"
}
command -v smtp-sink >/dev/null && command -v smtp-source >/dev/null || install_postfix

sink=""
source_pid=""
cleanup() {
  [ -z "$source_pid" ] || kill "$source_pid" 2>/dev/null || true
  [ -z "$sink" ] || kill "$sink" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# As root smtp-sink must drop privileges after binding (-u). Without a PORT argument, take a free one
# from the ephemeral range and try another if someone grabs it first.
user=nobody; [ "$(id -u)" -eq 0 ] || user=$(id -un)
for attempt in 1 2 3 4 5; do
  p=${port:-$((20000 + RANDOM % 10000))}
  if [ -z "$port" ] && listening "$p"; then continue; fi
  smtp-sink -u "$user" "127.0.0.1:$p" 1000 >/dev/null 2>&1 &
  sink=$!
  for _ in $(seq 50); do listening "$p" && break; kill -0 "$sink" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$sink" 2>/dev/null && listening "$p"; then port=$p; break; fi
  kill "$sink" 2>/dev/null || true; sink=""
  [ -z "$port" ] || die "smtp-sink could not listen on 127.0.0.1:$port"
done
[ -n "$sink" ] || die "smtp-sink did not start"

start=$(date +%s.%N)
smtp-source -d -s "$sessions" -m "$messages" -l "$size" \
  -f limit@bench.invalid -t guardian@docomo.ne.jp "127.0.0.1:$port" &
source_pid=$!
wait "$source_pid" || die "smtp-source failed (exit $?)"
source_pid=""
end=$(date +%s.%N)

awk -v n="$messages" -v b="$size" -v s="$sessions" -v a="$start" -v e="$end" 'BEGIN {
  t = e - a
  printf "LIMIT messages=%d size=%d sessions=%d seconds=%.2f rate=%.0f\n", n, b, s, t, n / t
}'
