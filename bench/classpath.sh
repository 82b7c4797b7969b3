# Sourced by the bench scripts: compiles the main and test classes and sets CP to run a benchmark main class; defines
# package_if_stale for the scripts that start the packaged jar.
# Usage: source bench/classpath.sh [maven profile]
PROFILE_ARGS=()
CP_FILE=target/bench-classpath.txt
if [ -n "${1:-}" ]; then
  PROFILE_ARGS=(-P"$1")
  CP_FILE=target/bench-classpath-$1.txt
fi
mvn -q -B "${PROFILE_ARGS[@]}" -DskipTests test-compile
if [ ! -s "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  mvn -q -B "${PROFILE_ARGS[@]}" dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
fi
CP="target/classes:target/test-classes:$(cat "$CP_FILE")"
BENCH_CP="$CP"

# Builds target/email-channel.jar when it is missing or older than what goes into it (the benchmarks start the jar as
# users do, through bin/email-channel)
package_if_stale() {
  if [ ! -s target/email-channel.jar ] \
    || [ -n "$(find src/main routes application.properties pom.xml -newer target/email-channel.jar -print -quit)" ]; then
    mvn -q -B -DskipTests package
  fi
}
