"""The faster dictionary matcher finds exactly what zxcvbn's own matcher finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from zxcvbn import matching

from safetykit.passwords import _zxcvbn_fast
from safetykit.passwords.strength import assess

assess("warm up")  # installs the matcher
ORIGINAL = _zxcvbn_fast.original_dictionary_match()

password_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="passwordmarylove1234!@rexdragonqwerty", max_size=30),
)


def test_installed() -> None:
    assert _zxcvbn_fast.install() is True
    assert matching.dictionary_match is not ORIGINAL


@settings(max_examples=300, deadline=None)
@given(password=password_text, inputs=st.lists(st.text(min_size=1, max_size=8), max_size=5))
def test_same_matches_as_zxcvbn(password: str, inputs: list[str]) -> None:
    dictionaries = dict(matching.RANKED_DICTIONARIES)
    dictionaries["user_inputs"] = matching.build_ranked_dict([i.lower() for i in inputs])
    assert matching.dictionary_match(password, dictionaries) == ORIGINAL(password, dictionaries)
