"""Imported by the worker pool's fork server (runners.Pool, pipeline.PRELOAD), never by materia itself: it warms
up as it is imported, so the vocabularies and the drug dictionary are loaded once, in the server, and every
worker forked from it starts with them (each worker's own warm-up then finds them loaded). Loading them in each
worker cost about 2.5 s of CPU apiece."""
from __future__ import annotations

import contextlib

from materia.errors import MateriaError
from materia.pipeline import warm_up

with contextlib.suppress(MateriaError):  # a vocabulary that will not load: each worker's own warm-up reports it
    warm_up()
