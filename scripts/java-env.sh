# Sourced by the scripts: picks a JDK that can build Java 21 and makes sure Maven is there.
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] \
     && [ "$("$candidate/bin/javac" -version 2>&1 | sed -E 's/javac ([0-9]+).*/\1/')" -ge 21 ]; then
    export JAVA_HOME="$candidate"
    break
  fi
done
if [ -z "${JAVA_HOME:-}" ] || [ "$("$JAVA_HOME/bin/javac" -version 2>&1 | sed -E 's/javac ([0-9]+).*/\1/')" -lt 21 ]; then
  echo "[java-env] no JDK 21+ found; install one (e.g. Temurin 21) and set JAVA_HOME" >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "[java-env] installing maven" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null; fi
fi
