"""materia: an evidence-traced knowledge base of what people write about supplements and medicines."""
from __future__ import annotations

__version__ = "0.1.0"
