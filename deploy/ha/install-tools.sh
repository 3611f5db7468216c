#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what the local HA deployment (deploy/ha/start) needs, from Debian packages: PostgreSQL
# (15 on bookworm), Patroni (HA manager), etcd (Patroni's consensus store; server and etcdctl) and
# HAProxy. Needs root. Not part of CI (.ci/run never starts the HA deployment).
set -euo pipefail
need=()
command -v patroni >/dev/null || need+=(patroni)
command -v etcd >/dev/null || need+=(etcd-server)
command -v etcdctl >/dev/null || need+=(etcd-client)
command -v haproxy >/dev/null || need+=(haproxy)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
if ((${#need[@]} == 0)); then
  echo "install-tools: patroni, etcd, haproxy and postgresql are installed"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-tools: run as root to install: ${need[*]}" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# policy-rc.d keeps Debian's own postgresql/etcd/haproxy/patroni services from starting: the HA
# scripts run their own instances under a scratch directory
apt-get install -y -q patroni etcd-server etcd-client postgresql haproxy
echo "install-tools: installed ${need[*]}"
