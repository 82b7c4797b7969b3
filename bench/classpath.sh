# Sourced by the benchmark scripts: compiles the test classes and sets BENCH_CP to the test class path.
mvn -q -B -DskipTests test-compile
CP_FILE=target/bench-classpath.txt
if [ ! -s "$CP_FILE" ] || [ pom.xml -nt "$CP_FILE" ]; then
  mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
fi
BENCH_CP="target/classes:target/test-classes:$(cat "$CP_FILE")"
