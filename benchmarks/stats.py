"""Counting speed: `python -m benchmarks.stats` (the first line of `make bench`).

Times tracker.stats.habit_strength (Loop Habit Tracker's score, worked out day by day) over
three years of a session every third day, the longest history the dashboard counts for anyone.
Pure Python, no database: it prints the best and the median of many runs, and whether the best
meets the goal. Tests never assert on elapsed time; this is where that number lives.
"""

import argparse
import statistics
import sys
import time
from datetime import date, timedelta

from tracker.stats import habit_strength

TODAY = date(2025, 11, 6)
HISTORY = [TODAY - timedelta(days=day) for day in range(0, 3 * 366, 3)]
GOAL_MS = 5.0


def timed_ms() -> float:
    started = time.perf_counter()
    habit_strength(HISTORY, 2, TODAY)
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs (default 50)")
    args = parser.parse_args(argv)
    runs = [timed_ms() for _ in range(args.runs)]
    print(
        f"habit_strength best_ms={min(runs):.2f} median_ms={statistics.median(runs):.2f}"
        f"  ({len(HISTORY)} sessions over 3 years, {args.runs} runs)"
    )
    met = "met" if min(runs) < GOAL_MS else "MISSED"
    print(f"goal habit_strength: under {GOAL_MS:.0f} ms: {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
