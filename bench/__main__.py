"""`make bench`: every benchmark of bench/, each printing Markdown tables for BENCHMARKS.md."""

import sys

from bench import assist_bench

if __name__ == "__main__":
    sys.argv = [sys.argv[0], *sys.argv[1:]]
    assist_bench.main()
