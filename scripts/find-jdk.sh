# SPDX-License-Identifier: Apache-2.0
# Sourced by ./mvnw, ./arbiter and .ci/run (POSIX sh, so the generated mvnw can source it too).
# Exports JAVA_HOME pointing at a JDK >= 21: JAVA_HOME if it is one, else the java on PATH, else
# the first one under /usr/lib/jvm, and sets arbiter_jdk_major to its major version. With none,
# prints one line and exits 2.

# Sets arbiter_major to the major version of the JDK at $1: its release file, read without forking
# (the launcher runs on every CLI call), or running java only if that is missing.
arbiter_java_major() {
  arbiter_version=""
  if [ -r "$1/release" ]; then
    while IFS= read -r arbiter_line || [ -n "$arbiter_line" ]; do
      case "$arbiter_line" in
        JAVA_VERSION=\"*)
          arbiter_version="${arbiter_line#JAVA_VERSION=\"}"
          arbiter_version="${arbiter_version%%\"*}"
          break
          ;;
      esac
    done <"$1/release"
  fi
  if [ -z "$arbiter_version" ]; then
    arbiter_version="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1)"
  fi
  arbiter_version="${arbiter_version#1.}" # 1.8.0_x is 8
  arbiter_major="${arbiter_version%%[!0-9]*}"
}

# Sets JAVA_HOME if $1 is a JDK (java and javac) >= 21.
arbiter_try_jdk() {
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  arbiter_java_major "$1"
  case "$arbiter_major" in '' | *[!0-9]*) return 1 ;; esac
  [ "$arbiter_major" -ge 21 ] || return 1
  JAVA_HOME="$1"
  export JAVA_HOME
  arbiter_jdk_major="$arbiter_major"
}

arbiter_pick_jdk() {
  arbiter_try_jdk "${JAVA_HOME:-}" && return 0
  arbiter_java="$(command -v java 2>/dev/null || true)"
  if [ -n "$arbiter_java" ]; then
    arbiter_java="$(readlink -f "$arbiter_java" 2>/dev/null || printf '%s' "$arbiter_java")"
    arbiter_try_jdk "$(dirname "$(dirname "$arbiter_java")")" && return 0
  fi
  # find, not a glob: mvnw runs with globbing off (set -f)
  for arbiter_jdk in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | LC_ALL=C sort); do
    arbiter_try_jdk "$arbiter_jdk" && return 0
  done
  echo "arbiter: a JDK 21 or newer is required; none found in JAVA_HOME, on PATH or under /usr/lib/jvm (set JAVA_HOME to one)" >&2
  exit 2
}

arbiter_pick_jdk
unset arbiter_version arbiter_line arbiter_major arbiter_java arbiter_jdk
