"""The repository stands alone: every reference to a document points at a file of ``docs/`` and a heading it has.

Code, tests, scripts, manifests and the docs themselves refer to the contract as ``docs/<file>.md#<heading>``
(Markdown pages link relatively). A maintainer must be able to open every one of them, so a reference to a
document or heading that does not exist fails here — as does a section sign (references into specifications
kept elsewhere) and a comment that names an issue number instead of saying why.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: Directories that are not the project's own text: environments, caches, generated and fetched files.
SKIP_DIRS = {".git", ".venv", ".services", ".kure", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}
SKIP_DIRS |= {"node_modules", "dist", "build", "test-results", "playwright-report", "coverage"}
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".sh", ".ts", ".tsx", ".js", ".json", ".cfg", ".txt"}
TEXT_NAMES = {"Makefile", "Dockerfile", "run"}

SECTION_SIGN = "\N{SECTION SIGN}"
CODE_REFERENCE = re.compile(r"(?<![\w/.-])docs/([\w.-]+\.md)(?:#([\w-]+))?")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
ISSUE_NUMBER = re.compile(r"\bissues?\s*#?\d+|\(#\d+\)|\bgh-\d+", re.IGNORECASE)
TABLE_ROW_NUMBER = re.compile(r"\brows? \d+\b", re.IGNORECASE)


def project_files() -> list[Path]:
    files = []
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in SKIP_DIRS for part in relative.parts) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES:
            files.append(path)
    return files


FILES = project_files()
THIS_FILE = Path(__file__).resolve()


def slug(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub's rules) gives a heading: lower case, punctuation dropped,
    spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@cache
def anchors(document: Path) -> frozenset[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    in_code = False
    for line in document.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        match = re.match(r"#{1,6} (.+)", line)
        if match and not in_code:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return frozenset(found)


def references(path: Path) -> list[tuple[int, Path, str | None]]:
    """(line, document, anchor) of every document reference in ``path``."""
    out: list[tuple[int, Path, str | None]] = []
    for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        for match in CODE_REFERENCE.finditer(line):
            out.append((number, DOCS / match.group(1), match.group(2)))
        if path.suffix == ".md":
            for match in MARKDOWN_LINK.finditer(line):
                target = match.group(1)
                if re.match(r"[a-z]+:", target) or target.startswith("docs/"):
                    continue  # an external address, or a repository path already checked above
                file_part, _, anchor = target.partition("#")
                if file_part and not file_part.endswith(".md"):
                    continue  # a link to a source file or directory, not a document
                document = (path.parent / file_part).resolve() if file_part else path
                out.append((number, document, anchor or None))
    return out


def test_the_scan_sees_the_project() -> None:
    names = {str(p.relative_to(ROOT)) for p in FILES}
    assert {"README.md", "docs/api.md", "graph/writer.py", "app/agent/classify.py"} <= names


def test_every_document_reference_resolves_to_a_document_and_a_heading() -> None:
    broken = []
    count = 0
    for path in FILES:
        for number, document, anchor in references(path):
            count += 1
            where = f"{path.relative_to(ROOT)}:{number}"
            if not document.is_file():
                broken.append(f"{where}: no document {document.relative_to(ROOT)}")
            elif anchor is not None and anchor not in anchors(document):
                broken.append(f"{where}: no heading #{anchor} in {document.relative_to(ROOT)}")
    assert count > 200, "the scan finds the references"
    assert broken == []


def test_no_reference_points_into_documents_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in FILES
        if path != THIS_FILE
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if SECTION_SIGN in line or "shared/spec" in line or "shared/seed" in line
    ]
    assert offenders == []


def _about_tables(path: Path) -> bool:
    """Backend, in-cluster and docs text, where "row <n>" meant a row of a table kept outside the repository (a
    dashboard test may well speak of a table row on screen)."""
    return path.suffix in {".py", ".md", ".yaml"} and path.relative_to(ROOT).parts[0] != "web"


def test_comments_say_why_instead_of_naming_an_issue_or_a_table_row() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in FILES
        if path != THIS_FILE
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if ISSUE_NUMBER.search(line) or (TABLE_ROW_NUMBER.search(line) and _about_tables(path))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("RBAC, exactly", "rbac-exactly"),
        ("The backend's cluster role", "the-backends-cluster-role"),
        ("Analyst recipes (Neo4j Browser)", "analyst-recipes-neo4j-browser"),
        ("Changing a failure's status", "changing-a-failures-status"),
        ("`kure-monitor agent`", "kure-monitor-agent"),
    ],
)
def test_anchors_follow_the_renderers_rules(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor
