#!/usr/bin/env bash
# A Docker engine for the container test suites (they run unless PORTOLAN_DOCKER=0), with no registry needed.
#   scripts/docker-engine.sh start   install docker.io, busybox-static and docker-compose with apt
#                                    when missing (root), start dockerd when no engine answers,
#                                    and wait until it does (the pid it started goes to a state file)
#   scripts/docker-engine.sh stop    stop the dockerd that `start` started, nothing else
# The test helper (src/test/dockerEngine.ts) builds the busybox image itself; this script only
# makes sure an engine runs for the whole pipeline, so the suites do not start and stop one each.
set -euo pipefail

state_dir="${PORTOLAN_DOCKER_STATE:-${TMPDIR:-/tmp}/portolan-docker-engine}"
pid_file="$state_dir/dockerd.pid"
log_file="$state_dir/dockerd.log"
socket="${DOCKER_HOST:-unix:///var/run/docker.sock}"
socket="${socket#unix://}"

engine_answers() {
  curl -fsS --max-time 2 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1
}

install_missing() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "docker-engine: missing ${missing[*]} and not root: install them first" >&2
      return 1
    fi
    echo "docker-engine: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

start() {
  install_missing
  if engine_answers; then
    echo "docker-engine: using the engine already answering on $socket" >&2
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "docker-engine: no engine on $socket and only root can start dockerd" >&2
    return 1
  fi
  mkdir -p "$state_dir"
  dockerd >"$log_file" 2>&1 &
  echo $! >"$pid_file"
  for _ in $(seq 1 120); do
    if engine_answers; then
      echo "docker-engine: dockerd $(cat "$pid_file") answers on $socket" >&2
      return 0
    fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  echo "docker-engine: dockerd did not answer; its log ($log_file) ends with:" >&2
  tail -n 20 "$log_file" >&2 || true
  stop
  return 1
}

stop() {
  [ -f "$pid_file" ] || return 0
  local pid
  pid="$(cat "$pid_file")"
  rm -f "$pid_file"
  if kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || return 0
      sleep 0.5
    done
    echo "docker-engine: dockerd $pid did not stop within 30 s" >&2
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
