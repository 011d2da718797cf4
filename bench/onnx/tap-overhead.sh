#!/usr/bin/env bash
# Tap overhead in ONNX Runtime (see TapOverhead.java). Args: [pairs [layers [model.onnx]]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# the graph builder lives with the tests: compile both, then run against the module's classpath
cpfile="$root/colsparse-models/target/bench-classpath.txt"
mvn -q -B -pl colsparse-models -am -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile="$cpfile"
cp="$root/colsparse-models/target/classes:$root/colsparse-models/target/test-classes:$(cat "$cpfile")"
exec java -cp "$cp" "$root/bench/onnx/TapOverhead.java" "$@"
