"""Rules-engine quality benchmark: share of failure fixtures whose rule solution names the correct root cause.

Each fixture in tests/fixtures/failures lists the keywords that name its root cause (see tests/ai/fixture_check.py).
Target: 100 %. Also prints the engine's throughput, since ingest computes a rule solution synchronously.

    .venv/bin/python -m bench.rules_quality [-v]
"""

from __future__ import annotations

import sys
import time

from app.ai.rules import rule_solution
from tests.ai.fixture_check import check, load_fixtures


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    fixtures = load_fixtures()
    results = [check(name, fixture) for name, fixture in fixtures]
    passed = [r for r in results if r.ok]
    for result in results:
        if not result.ok or verbose:
            status = "ok  " if result.ok else "FAIL"
            print(f"{status} {result.scenario:<14} {result.name}: {'; '.join(result.problems) or 'root cause named'}")
    share = 100.0 * len(passed) / len(results) if results else 0.0
    print(f"rules quality: {len(passed)}/{len(results)} fixtures name the correct root cause ({share:.1f} %)")

    reports = [fixture["report"] for _, fixture in fixtures]
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for report in reports:
            rule_solution(report)
    elapsed = time.perf_counter() - started
    count = rounds * len(reports)
    print(f"rules throughput: {count / elapsed:,.0f} solutions/s ({1000 * elapsed / count:.3f} ms per solution)")
    return 0 if len(passed) == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
