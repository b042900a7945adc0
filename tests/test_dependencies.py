"""The lockfile holds what the project needs: each locked package is a dependency in
pyproject.toml or one of theirs (flask-talisman was locked and never used)."""
import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# Installed by `make` beside the lockfile's packages, not needed by the code.
TOOLS = {"pip", "setuptools", "wheel"}


def direct_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {}).values()
    return [Requirement(line) for line in [*project["dependencies"], *sum(extras, [])]]


def applies(requirement: Requirement, extras: frozenset[str]) -> bool:
    """Tell whether a package's requirement holds here, for the extras asked of that package."""
    marker = requirement.marker
    return marker is None or any(marker.evaluate({"extra": extra}) for extra in extras | {""})


def needed() -> set[str]:
    """Walk the installed metadata from the direct requirements, extras included."""
    seen = set()
    todo = [(canonicalize_name(r.name), frozenset(r.extras)) for r in direct_requirements()]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            requires = [Requirement(line) for line in distribution(name).requires or []]
        except PackageNotFoundError:
            continue
        todo += [(canonicalize_name(r.name), frozenset(r.extras))
                 for r in requires if applies(r, extras)]
    return {name for name, _ in seen}


def locked() -> set[str]:
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    return {canonicalize_name(m.group(1)) for line in lines
            if (m := re.match(r"([A-Za-z0-9._-]+)==", line))}


def test_every_locked_package_is_needed():
    assert locked() - needed() - TOOLS == set()
