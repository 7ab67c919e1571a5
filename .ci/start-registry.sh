#!/usr/bin/env bash
# Starts a throwaway OCI registry (Debian's docker-registry) on a loopback port, storing in a temp dir, and
# prints the variables the image tests read: its address, its log (every request, for cache assertions) and
# the script that stops it. Installs docker-registry, skopeo and umoci if they are missing.
set -euo pipefail
if ! command -v docker-registry >/dev/null || ! command -v skopeo >/dev/null || ! command -v umoci >/dev/null; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry skopeo umoci >&2
fi
port=${REGISTRY_PORT_FOR_TESTS:-$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
dir=$(mktemp -d /tmp/cloudplane-registry.XXXXXX)
cat >"$dir/config.yml" <<CONFIG
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
CONFIG
setsid docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 </dev/null &
echo $! >"$dir/pid"
printf 'kill "$(cat %q)" 2>/dev/null || true\nrm -rf %q\n' "$dir/pid" "$dir" >"$dir/stop.sh"
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "export CLOUDPLANE_TEST_REGISTRY=127.0.0.1:$port CLOUDPLANE_TEST_REGISTRY_LOG=$dir/log"
    echo "registry in $dir (stop: bash $dir/stop.sh)" >&2
    exit 0
  fi
  sleep 0.1
done
echo "the registry did not start; its log:" >&2
cat "$dir/log" >&2
exit 1
