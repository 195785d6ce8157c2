"""What `pip install .` puts on disk: every package of calven_desk, or the installed app cannot start.

pyproject.toml names its packages one by one (resources/ installs as calven_desk.resources from the
top of the checkout); a folder added under calven_desk and not named there is missing from a
non-editable install and from the wheel, while the editable install the tests run from still finds it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import calven_desk

PACKAGE = Path(calven_desk.__file__).parent
PYPROJECT = PACKAGE.parent / "pyproject.toml"


def test_every_package_of_calven_desk_is_installed() -> None:
    listed = set(
        tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(init.parent.relative_to(PACKAGE.parent).parts)
        for init in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk, "no package found beside pyproject.toml"
    assert on_disk - listed == set(), "pyproject.toml [tool.setuptools] packages misses these"
    assert listed - on_disk == {"calven_desk.resources"}
