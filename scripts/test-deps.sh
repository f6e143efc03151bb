#!/usr/bin/env bash
# Installs what the test suite needs and a fresh Debian machine lacks: PostgreSQL server and
# client, HAProxy, ping, tmux (the pseudo-terminal test), iproute2 and util-linux (network
# namespaces), nftables (cuts between hosts), time, strace and script (hostile-input tests), debootstrap and systemd-nspawn
# (the booted Debian 12 of npm run test:systemd). Idempotent: installs only what is missing.
# Needs root (the tests need it too).
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
pkg_installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }

have pg_createcluster || need+=(postgresql-common)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
pkg_installed postgresql-contrib || need+=(postgresql-contrib)
have pgbench || need+=(postgresql-contrib)
have haproxy || need+=(haproxy)
have ping || need+=(iputils-ping)
have tmux || need+=(tmux)
have ip || need+=(iproute2)
# By its path: under npm, node_modules/.bin/nft (a file tracer) answers to the name.
[ -x /usr/sbin/nft ] || need+=(nftables)  # cuts between hosts (failover drills, switchover)
have unshare || need+=(util-linux)
have runuser || need+=(util-linux)
[ -x /usr/bin/time ] || need+=(time)      # memory of the hostile-input runs
have strace || need+=(strace)             # what children inherit (test/e2e/hostile-env)
have script || need+=(bsdutils)           # a terminal for npx (test/e2e/hostile-npx)
have nsenter || need+=(util-linux)
have setpriv || need+=(util-linux)
have debootstrap || need+=(debootstrap)
have systemd-nspawn || need+=(systemd-container)

# Each package once, in order.
if [ "${#need[@]}" -gt 0 ]; then mapfile -t need < <(printf '%s\n' "${need[@]}" | awk '!seen[$0]++'); fi
if [ "${#need[@]}" -eq 0 ]; then
  echo "test-deps: everything present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "test-deps: missing ${need[*]}; run as root (sudo npm test) so they can be installed" >&2
  exit 1
fi
echo "test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
