"""normalised_text_key: the same key whether the text is read whole or a piece at a time."""
from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from materia.store import serialise
from materia.store.serialise import normalised_text_key


def _whole(text: str) -> str:
    return "text:" + hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


@given(st.text(alphabet=st.sampled_from(list("aZß ΣςİK\n\t\u00a0\u2028x.")), max_size=200))
@settings(max_examples=300, deadline=None)
def test_store_content_key_in_pieces_is_the_key_of_the_whole(text: str) -> None:
    original = serialise._PIECE
    serialise._PIECE = 7  # pieces of a few characters: every cut is met
    try:
        assert normalised_text_key(text) == _whole(text)
    finally:
        serialise._PIECE = original


@pytest.mark.parametrize("text", ["", "   ", "Glutamine  helps\n\nSLEEP.", "x" * 3_000_000 + " y"])
def test_store_content_key_examples(text: str) -> None:
    assert normalised_text_key(text) == _whole(text)
