#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the real tools that end-to-end tests drive (a software TPM 2.0, tpm2-tools, psql for
# the embedded-database lock-down test, SoftHSM2 with OpenSC's pkcs11-tool for the service key in a
# PKCS#11 token, and Chromium with chromedriver and NSS tools for the console's browser tests) from
# Debian packages. Idempotent and quiet: does nothing when they are already installed.
set -euo pipefail
needed=()
command -v swtpm >/dev/null 2>&1 || needed+=(swtpm swtpm-tools)
command -v tpm2_quote >/dev/null 2>&1 || needed+=(tpm2-tools)
command -v psql >/dev/null 2>&1 || needed+=(postgresql-client)
command -v runuser >/dev/null 2>&1 || needed+=(util-linux)
command -v softhsm2-util >/dev/null 2>&1 || needed+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || needed+=(opensc)
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v chromedriver >/dev/null 2>&1 || needed+=(chromium-driver)
command -v certutil >/dev/null 2>&1 || needed+=(libnss3-tools)
command -v openssl >/dev/null 2>&1 || needed+=(openssl)
if ((${#needed[@]} == 0)); then
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  sudo=(sudo -n)
fi
echo "install-tools: installing ${needed[*]}"
"${sudo[@]}" apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
