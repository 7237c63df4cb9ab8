#!/usr/bin/env bash
# Installs and starts what the tests need on a bare Debian machine: a Docker engine, the local busybox
# test image, a redis-server on 127.0.0.1:16379 and s3proxy (a real S3 protocol server) on 127.0.0.1:18090.
# Idempotent: safe to run again; skips what is there.
set -euo pipefail
# --docker-only: just the engine and the busybox image (what the server's worker needs)
DOCKER_ONLY=false
[ "${1:-}" = "--docker-only" ] && DOCKER_ONLY=true

log() { echo "[test-env] $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need_pkgs+=(busybox-static)
if [ "$DOCKER_ONLY" = false ]; then
  command -v redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
  command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# Docker engine: start one if none answers. No systemd here, so run dockerd directly.
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  mkdir -p /tmp/ccc-test-env
  # --bip keeps the bridge at a fixed address so containers can reach host services bound to it.
  as_root bash -c 'nohup dockerd --bip=172.17.0.1/16 > /tmp/ccc-test-env/dockerd.log 2>&1 &'
  for _ in $(seq 1 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { tail -20 /tmp/ccc-test-env/dockerd.log >&2; log "dockerd did not start"; exit 1; }
fi

# A busybox image built locally: no registry is reachable, so nothing may ever be pulled.
if ! docker image inspect local/busybox:1 >/dev/null 2>&1; then
  log "building local/busybox:1"
  bb=$(command -v busybox)
  dir=$(mktemp -d)
  mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp"
  cp "$bb" "$dir/bin/busybox"
  for applet in $("$bb" --list); do [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/etc/group"
  chmod 1777 "$dir/tmp"
  tar -C "$dir" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - local/busybox:1 >/dev/null
  rm -rf "$dir"
fi
if [ "$DOCKER_ONLY" = true ]; then
  log "ready: docker $(docker version --format '{{.Server.Version}}'), image local/busybox:1"
  exit 0
fi

# Redis for the ccc-redis tests: no persistence here (tests that need AOF start their own server).
REDIS_PORT=${CCC_TEST_REDIS_PORT:-16379}
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting redis-server on 127.0.0.1:$REDIS_PORT"
  mkdir -p /tmp/ccc-test-env
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --pidfile /tmp/ccc-test-env/redis.pid --logfile /tmp/ccc-test-env/redis.log --dir /tmp/ccc-test-env
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$REDIS_PORT" ping >/dev/null || { log "redis-server did not start"; exit 1; }
fi

# s3proxy for the ccc-s3 tests: the standalone jar from Maven Central, files on local disk, signatures checked.
S3_PORT=${CCC_TEST_S3_PORT:-18090}
if ! curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/"; then
  source "$(dirname "$0")/java-env.sh"
  S3PROXY_VERSION=4.1.0
  repo=${MAVEN_REPO:-$HOME/.m2/repository}  # the ccc-s3 tests find the jar at ${settings.localRepository}
  jar="$repo/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
  if [ ! -f "$jar" ]; then
    log "downloading s3proxy $S3PROXY_VERSION"
    mvn -q -B -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" >/dev/null
  fi
  log "starting s3proxy on 127.0.0.1:$S3_PORT"
  mkdir -p /tmp/ccc-test-env/s3data
  cat > /tmp/ccc-test-env/s3proxy.conf <<CONF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=ccc-test
s3proxy.credential=ccc-test-secret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=/tmp/ccc-test-env/s3data
CONF
  nohup "$JAVA_HOME/bin/java" -Xmx256m -jar "$jar" --properties /tmp/ccc-test-env/s3proxy.conf \
    > /tmp/ccc-test-env/s3proxy.log 2>&1 &
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" && break; sleep 0.2; done
  curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" || { tail -20 /tmp/ccc-test-env/s3proxy.log >&2; log "s3proxy did not start"; exit 1; }
fi

log "ready: s3proxy on $S3_PORT, redis on $REDIS_PORT, docker $(docker version --format '{{.Server.Version}}'), image local/busybox:1"
