"""Loading and checking the failure fixtures (tests/fixtures/failures), shared by tests and bench/rules_quality.py.

A fixture names the root cause by keywords: every ``expect.root_cause`` keyword must appear (case-insensitively)
in the solution's ``## Root Cause`` section, every ``expect.fix`` keyword in its ``## Fix`` section, and with
``expect.init_container`` the root cause must say that an init container failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.ai.rules import rule_solution

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "failures"


@dataclass
class FixtureResult:
    name: str
    scenario: str
    solution: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def load_fixtures() -> list[tuple[str, dict[str, Any]]]:
    return [(path.stem, yaml.safe_load(path.read_text())) for path in sorted(FIXTURES.glob("*.yaml"))]


def section(markdown: str, title: str) -> str:
    start = markdown.find(f"## {title}")
    if start < 0:
        return ""
    end = markdown.find("\n## ", start + 3)
    return markdown[start: end if end >= 0 else len(markdown)]


def check(name: str, fixture: dict[str, Any]) -> FixtureResult:
    solution = rule_solution(fixture["report"])
    result = FixtureResult(name, str(fixture.get("scenario", "")), solution)
    expect = fixture.get("expect") or {}
    if not solution.startswith("## Root Cause\n"):
        result.problems.append("solution does not start with '## Root Cause'")
    positions = [solution.find(h) for h in ("## Root Cause", "## Fix", "## Verification")]
    if -1 in positions or positions != sorted(positions):
        result.problems.append("sections missing or out of order")
    root = section(solution, "Root Cause").lower()
    fix = section(solution, "Fix").lower()
    for word in expect.get("root_cause") or []:
        if str(word).lower() not in root:
            result.problems.append(f"root cause lacks {word!r}")
    for word in expect.get("fix") or []:
        if str(word).lower() not in fix:
            result.problems.append(f"fix lacks {word!r}")
    if expect.get("init_container") and "init container failed" not in root:
        result.problems.append("root cause does not say an init container failed")
    return result
