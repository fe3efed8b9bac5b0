"""WSGI entry point for gunicorn or granian: ``gunicorn zhibao.wsgi``.

Before serving, every URL module (and so every view, API router and the libraries they import) is loaded and the
objects that exist then are moved out of the garbage collector's reach (``gc.freeze``). A loaded process holds
some 400,000 container objects for its whole life (route tables, pinyin and holiday data, model metadata); without
the freeze, each full collection walks all of them and stalls whichever request triggered it for 150 ms or more —
the main source of tail latency on the agency credit check. Freezing is the pattern CPython documents for
pre-fork servers; nothing frozen is ever freed, which is right for objects meant to live as long as the process.

With SQLite, write-ahead-log checkpoints move from the committing request to a background thread
(``zhibao.core.sqlite_checkpoint``). Bearer-token API calls run a shorter middleware chain than browser requests
(``zhibao.core.token_handler``).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibao.settings")
_browser = get_wsgi_application()


def _dispatcher():  # noqa: ANN202
    from zhibao.core.token_handler import Dispatcher, TokenApiHandler  # noqa: PLC0415 - only after Django is set up

    return Dispatcher(_browser, TokenApiHandler())


application = _dispatcher()


def _load_and_freeze() -> None:
    from django.urls import get_resolver  # noqa: PLC0415 - only after Django is set up

    get_resolver().url_patterns  # noqa: B018 - imports every URL module, view and router now, not on a request
    gc.collect()
    gc.freeze()


def _start_checkpointer() -> None:
    from django.conf import settings  # noqa: PLC0415 - only after Django is set up

    from zhibao.core import sqlite_checkpoint  # noqa: PLC0415

    sqlite_checkpoint.start(settings.DATABASES["default"], settings.ZHIBAO_SQLITE_CHECKPOINT_MS / 1000)


_start_checkpointer()
_load_and_freeze()
