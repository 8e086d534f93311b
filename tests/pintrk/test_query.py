"""parse_query's fast path gives exactly the pairs of its rule (urllib's parse_qsl)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.pintrk.query import parse_query, parse_query_by_the_rule
from app.pintrk.tag import percent_encode

pieces = st.sampled_from(
    list("ab=&+%\\x7BfF0G9 é\u2028\ud800") + ["%7B", "%C3%A9", "%E2%82", "%2", "%%", "%5C", "%00"]
)
query_text = st.lists(pieces, max_size=30).map("".join)


@given(query_text)
def test_any_text_reads_as_the_rule_reads_it(query: str) -> None:
    assert parse_query(query) == parse_query_by_the_rule(query)


@given(st.lists(st.tuples(st.text(), st.text()), max_size=6))
def test_what_encodeURIComponent_writes_reads_back(pairs: list[tuple[str, str]]) -> None:
    query = "&".join(f"{percent_encode(name)}={percent_encode(value)}" for name, value in pairs)
    assert parse_query(query) == parse_query_by_the_rule(query)
