"""The embedded Celery worker and beat: threads of the server process.

With no Redis configured the broker is Celery's in-memory transport, which only
reaches consumers in the same process. ``gms_serve`` then runs one worker and
the beat scheduler as threads beside the ASGI server, so periodic jobs (storage
purge, callback dispatch) run with nothing else installed.
"""

import logging
import threading

from celery import Celery
from celery.beat import EmbeddedService
from django.conf import settings

logger = logging.getLogger(__name__)

# The beat sends a job every few seconds (callback dispatch every 2 s): at INFO these
# loggers would bury the server's own log. Warnings and failures still show, and
# GMS_LOG_LEVEL=DEBUG shows everything.
CHATTY_LOGGERS = ("celery.beat", "celery.worker.strategy", "celery.app.trace")


def uses_embedded_broker() -> bool:
    return settings.CELERY_BROKER_URL.startswith("memory://")


def start_embedded_celery(app: Celery) -> tuple[object, EmbeddedService]:
    """Start a solo-pool worker thread and a beat thread; returns both to stop them later."""
    if not logger.isEnabledFor(logging.DEBUG):
        for name in CHATTY_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    app.finalize()
    app.set_current()
    app.loader.import_default_modules()
    worker = app.WorkController(
        pool_cls="solo",
        concurrency=1,
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
        hostname=f"embedded@{settings.GMS_NODE_ID}",
    )
    threading.Thread(target=worker.start, name="celery-worker", daemon=True).start()
    beat = EmbeddedService(
        app, thread=True, schedule_filename=str(settings.VAR_DIR / "celerybeat-schedule")
    )
    beat.start()
    logger.info("Embedded Celery worker and beat started (in-memory broker)")
    return worker, beat


def stop_embedded_celery(worker: object, beat: EmbeddedService) -> None:
    beat.stop()
    worker.stop(in_sighandler=False)  # type: ignore[attr-defined]
