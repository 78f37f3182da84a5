#!/usr/bin/env bash
# Sourced by ./run: makes a fresh Debian/Ubuntu machine with only Node able to run the README's
# commands. Installs what is missing, nothing that is there: the pinned pnpm (package.json
# `packageManager`, into .tools/, no global install; corepack refuses this registry's unsigned
# metadata), the dependencies when the lockfile changed, Java (DynamoDB Local) and, for tests,
# Chromium (the browser test), the last two through apt only where this user may (root or
# passwordless sudo); otherwise it says which command would, and stops.
# Usage: source scripts/bootstrap.sh <dev|test|...>
set -euo pipefail

bootstrap_for="${1:-dev}"
say() { echo "bootstrap: $*" >&2; }

# --- pnpm, pinned --------------------------------------------------------------------------
pnpm_version="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if [ "$(pnpm -v 2>/dev/null || true)" != "$pnpm_version" ]; then
  if [ ! -x ".tools/node_modules/.bin/pnpm" ] || [ "$(.tools/node_modules/.bin/pnpm -v)" != "$pnpm_version" ]; then
    say "installing pnpm ${pnpm_version} into .tools/"
    npm install --prefix .tools --no-save --no-package-lock --loglevel=error "pnpm@${pnpm_version}" >/dev/null
  fi
  PATH="$PWD/.tools/node_modules/.bin:$PATH"
  export PATH
fi

# --- system packages (apt), only where this user may install them ----------------------------
if [ "$(id -u)" = 0 ]; then sudo_cmd=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo_cmd="sudo"; else sudo_cmd="none"; fi
apt_updated=""
need_package() { # <command> <apt package> <why>
  command -v "$1" >/dev/null && return 0
  if [ "$sudo_cmd" = none ] || ! command -v apt-get >/dev/null; then
    say "$3 needs $1: run 'sudo apt-get install -y $2', then this command again"
    exit 1
  fi
  say "installing $2 ($3)"
  [ -n "$apt_updated" ] || { $sudo_cmd apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$2" >/dev/null
}
need_package java openjdk-17-jre-headless "DynamoDB Local (the local cloud)"
if [ "$bootstrap_for" = test ]; then need_package chromium chromium "the browser test"; fi

# --- dependencies, when the lockfile is not what is installed ------------------------------------
if ! cmp -s pnpm-lock.yaml node_modules/.pnpm/lock.yaml; then
  say "installing dependencies (pnpm install --frozen-lockfile)"
  pnpm install --frozen-lockfile --reporter=silent
fi
