"""What every bench script shares: Django on a throwaway database, and percentiles.

The database is ``GMS_DATABASE_URL`` when set (migrated first), else a SQLite file in a
fresh temporary folder, so a bench never touches the data of ``make run``.
"""

import os
import sys
import tempfile
from pathlib import Path


def setup_django(name: str) -> None:
    """Configure Django for a bench script; call before importing models."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gms.settings")
    if not os.environ.get("GMS_DATABASE_URL"):
        os.environ["GMS_VAR_DIR"] = tempfile.mkdtemp(prefix=f"gms-bench-{name}-")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: ``fraction`` 0.99 is p99."""
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]
