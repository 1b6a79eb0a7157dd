"""Load the priority model in the background when a web or worker process starts (settings.ASSIST_WARM_ON_START).

Loading torch, the tokenizer and the weights takes about 6 s; without this the first priority request or the first
suggestion job of every process pays it. The thread is a daemon and only loads: requests that arrive meanwhile wait
on the encoder's load lock and get the same model, never a second copy.
"""

from __future__ import annotations

import logging
import threading

import dramatiq
from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None


def _warm() -> None:
    from apps.assist.errors import PriorityModelUnavailable
    from apps.assist.priority.service import suggest_text_priority, warm_up

    try:
        warm_up()
        # One pass too: the first forward pass allocates torch's buffers and is several times slower than the next.
        suggest_text_priority(title="warm up the priority model")
    except PriorityModelUnavailable as exc:
        logger.warning("priority model not warmed: %s", exc.detail)
    except Exception:  # a background thread must log, never die silently
        logger.exception("priority model warm-up failed")


def warm_in_background() -> threading.Thread | None:
    """Start the warm-up thread once per process if the setting is on; the thread (or None when off)."""
    global _thread
    if not settings.ASSIST_WARM_ON_START:
        return None
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_warm, name="assist-warm-up", daemon=True)
            _thread.start()
        return _thread


class WarmOnWorkerBoot(dramatiq.Middleware):
    """Dramatiq middleware: every worker process (rundramatiq, or the embedded one) warms the model after boot."""

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        warm_in_background()
