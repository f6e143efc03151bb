#!/usr/bin/env bash
# npm test: everything the suite needs, the build, then every test.
#
# The suite runs in a network namespace of its own (unshare --net, loopback only): its
# 127.0.0.10-13 addresses, routes and cut-off rules are its own, so an admin's own demo pair on
# this machine's loopback is never touched, and no test packet can leave the machine.
# Arguments go to ava (npm test -- test/unit), and then the systemd cases are left out.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-deps.sh || exit 1
npm run build || exit 1
unshare --net -- sh -c 'ip link set lo up && exec npx ava "$@"' ava "$@"
status=$?
# The whole suite also boots a systemd Debian 12 (its own private network) for the cases that
# differ under systemd; a run of chosen ava files does not.
if [ "$#" -eq 0 ]; then
  node --import tsx scripts/systemd/run.ts || status=1
fi
exit "$status"
