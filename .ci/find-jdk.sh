# SPDX-License-Identifier: Apache-2.0
# Sourced: exports JAVA_HOME pointing at a JDK >= 21, or exits 2 with a clear message.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1; }
arbiter_pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    major="$(java_major "$candidate")"
    if [[ "$major" =~ ^[0-9]+$ && "$major" -ge 21 ]]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "arbiter: a JDK >= 21 is required (set JAVA_HOME); none found" >&2
  exit 2
}
arbiter_pick_jdk
