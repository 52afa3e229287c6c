#!/usr/bin/env bash
# The crash, broker-loss, scale-out and CloudStack-failure drills against real processes (docs/reliability.md):
#   drills/run.sh                         every drill, about 50 minutes on 2 cores
#   drills/run.sh JobServiceCrashDrill    one drill (class name; comma-separated for several)
# Figures go to drills/target/drill-results.md, each process's log to drills/target/drill-runs/<drill>-*/logs.
set -euo pipefail
cd "$(dirname "$0")/.."
drills="${1:-*Drill}"
# -am builds the modules the drills start from this checkout (nothing is installed into ~/.m2); the
# test filter matches no test of theirs, so only the drills run.
mvn -B -pl drills -am verify -Pdrills -Dtest="$drills" -Dsurefire.failIfNoSpecifiedTests=false
echo "figures: drills/target/drill-results.md"
