"""Where the folders that ship inside the package are on disk: ``pinnwand.static`` (the
browser files, ``static/`` in the repository) and ``pinnwand.migrations`` (``migrations/``).

Found through the import system, so an editable install points into the checkout and a wheel
into ``site-packages``; nothing depends on the working directory.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def package_folder(name: str) -> Path:
    """The folder of the data package ``name`` (e.g. ``"pinnwand.static"``)."""
    spec = importlib.util.find_spec(name)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise RuntimeError(f"{name} is not installed; install Pinnwand with `pip install .`")
    return Path(locations[0])
