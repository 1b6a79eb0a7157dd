"""`make bench`: every benchmark of bench/, each printing Markdown tables for BENCHMARKS.md."""

import subprocess
import sys

# Each benchmark runs in its own process: they configure Django differently (databases, model loading).
BENCHMARKS = [
    "bench.api_bench",
    "bench.assist_bench",
    "bench.priority_bench",
    "bench.board",
    "bench.realtime",
    "bench.redis_pubsub",
]

if __name__ == "__main__":
    for module in BENCHMARKS:
        subprocess.run([sys.executable, "-m", module, *sys.argv[1:]], check=True)
        print()
