"""Benchmark 6's limit: the plan's words alone, laid out with no tables."""

import re

from bench.plan_pdf import big_snapshot, words_only_html
from plans.render import plan_html


def _words(html: str) -> list[str]:
    text = re.sub(r"<style.*?</style>|<title.*?</title>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text).replace("&#x27;", "'").split()


def test_the_words_only_document_keeps_every_word_and_no_table():
    html = plan_html(big_snapshot(rows=4))
    floor = words_only_html(html)
    assert "<table" not in floor
    assert "<td" not in floor
    assert sorted(_words(floor)) == sorted(_words(html))
    # each cell is a paragraph of its own, so no two cells' words run together
    assert "<p>Date of birth</p>" in floor
