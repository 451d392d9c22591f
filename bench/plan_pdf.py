"""Benchmark 6 (issue 15): rendering a 30-page EHC plan to PDF with the one renderer
(plans.pdf.render_pdf), from the same template as every version. Needs no database: the plan is
a synthetic snapshot, sized so the PDF has 30 pages, the size the target names (checked on every
run: a layout change that moves it makes the run fail, to be resized rather than quietly compared
with a different document). Wall time on a shared machine is mostly waiting for a core, so the
CPU time per render and per page are reported beside it."""

from __future__ import annotations

import datetime
import html as html_module
import re
import time
from html.parser import HTMLParser

from plans.pdf import render_pdf
from plans.render import plan_html

from .timing import Result, timed

TARGET_SECONDS = 2.0
MIN_PAGES = 30
MAX_PAGES = 31
ROWS = 79  # needs, outcomes and provision entries: 30-31 pages with the columns of 2026-12-01
AREAS = ["communication", "cognition", "semh", "sensory_physical"]


def big_snapshot(rows: int = ROWS) -> dict:
    sentence = (
        "Finds it hard to follow spoken instructions with more than two parts, particularly "
        "in noisy rooms and when the vocabulary is new to the subject being taught."
    )
    provision = [
        {
            "label": f"F{n}",
            "section": "F",
            "what": f"{sentence} Programme {n}.",
            "delivered_by": "Speech and language therapist",
            "qualification": "HCPC registered",
            "frequency": 2,
            "frequency_unit": "week",
            "how_often": "twice a week",
            "session_minutes": 30,
            "group_size": 1,
            "starts_on": "2026-09-01",
            "source": "",
            "needs": [f"B{n}"],
        }
        for n in range(1, rows + 1)
    ]
    return {
        "reference": "EHC-2026-BENCH",
        "authority": "Synthetic Borough",
        "kind": "final",
        "number": 3,
        "issued_on": "2026-11-30",
        "child": {
            "name": "Synthetic Child",
            "first_name": "Synthetic",
            "date_of_birth": "2016-05-01",
            "upn": "",
        },
        "sections": {
            "A": {
                "child_views": sentence * 3,
                "family_views": sentence * 3,
                "aspirations": sentence,
            },
            "B": [
                {
                    "area": area,
                    "label": area,
                    "needs": [
                        {
                            "label": f"B{n}",
                            "text": sentence,
                            "source": "EP advice, 1 May 2026",
                            "outcomes": [f"E{n}"],
                            "provision": [f"F{n}"],
                        }
                        for n in range(1, rows + 1)
                        if n % 4 == index
                    ],
                }
                for index, area in enumerate(AREAS)
            ],
            "C": {"text": sentence},
            "D": {"text": sentence},
            "E": [
                {
                    "label": f"E{n}",
                    "text": sentence,
                    "preparing_for_adulthood": False,
                    "source": "",
                    "needs": [f"B{n}"],
                }
                for n in range(1, rows + 1)
            ],
            "F": provision,
            "G": provision[:10],
            "H1": [],
            "H2": [],
            "I": {"type": "Mainstream primary school", "name": "Synthetic Primary School"},
            "J": {"text": ""},
            "K": [
                {
                    "description": "Educational psychology advice",
                    "provider": "EP service",
                    "dated": "2026-05-01",
                }
            ]
            * 10,
        },
    }


def _document(html: str):
    from weasyprint import HTML  # noqa: PLC0415 - layout only, to count; PDFs come from render_pdf

    from plans.pdf import local_static_fetcher  # noqa: PLC0415

    return HTML(string=html, base_url="/", url_fetcher=local_static_fetcher).render()


def page_count(html: str) -> int:
    """Pages of the laid-out document (the PDF's own page objects are compressed)."""
    return len(_document(html).pages)


def layout_and_write_cpu(html: str) -> tuple[float, float]:
    """CPU seconds of one render split where WeasyPrint's public API splits it: parsing, the CSS
    cascade and layout (`HTML.render`), then drawing the pages and writing the PDF (`write_pdf`),
    so a run says which half to look at (docs/benchmarks.md, benchmark 6, has the finer profile)."""
    started = time.process_time()
    document = _document(html)
    laid_out = time.process_time()
    document.write_pdf()
    return laid_out - started, time.process_time() - laid_out


#: Where one piece of the plan's text ends: each becomes a paragraph of the words-only document.
_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "dt", "dd", "div", "caption"}


class _Words(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self._text: list[str] = []
        self._skip = 0

    def _close(self):
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if text:
            self.pieces.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title", "head"):
            self._skip += 1
        elif tag in _BLOCKS:
            self._close()
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "title", "head"):
            self._skip -= 1
        elif tag in _BLOCKS:
            self._close()

    def handle_data(self, data):
        if not self._skip:
            self._text.append(data)


def words_only_html(html: str) -> str:
    """The limit for benchmark 6: the plan's words alone, each cell, heading or paragraph as one
    plain paragraph in the plan's page size, margins, font and cell type size (9 pt), with no
    tables, borders or page-break rules. What the renderer costs to shape, break and draw that
    much text is the floor under any layout of it; the plan's ratio to it is what the layout
    (its tables) adds."""
    parser = _Words()
    parser.feed(html)
    parser.close()
    parser._close()
    body = "\n".join(f"<p>{html_module.escape(piece)}</p>" for piece in parser.pieces)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><style>'
        "@page { size: A4; margin: 20mm 18mm 22mm 18mm; }"
        'body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; line-height: 1.4; }'
        "p { margin: 0 0 1.5mm; }"
        f"</style></head><body>{body}</body></html>"
    )


def _words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def bench_plan_pdf(today: datetime.date, repeat: int) -> list[Result]:
    html = plan_html(big_snapshot())
    pages = page_count(html)
    if not MIN_PAGES <= pages <= MAX_PAGES:
        raise AssertionError(
            f"the benchmark plan has {pages} pages, not {MIN_PAGES}: "
            "resize ROWS in bench/plan_pdf.py"
        )
    cpu_before = time.process_time()
    times = timed(lambda: render_pdf(html), repeat=repeat)
    cpu = (time.process_time() - cpu_before) / (repeat + 1)  # the warm-up run included
    median = sorted(times)[len(times) // 2]
    layout_cpu, write_cpu = layout_and_write_cpu(html)
    floor_html = words_only_html(html)
    body = html.split("<body>", 1)[1]
    if _words(floor_html) < 0.98 * _words(body):
        raise AssertionError("the words-only document lost some of the plan's words")
    floor_times = timed(lambda: render_pdf(floor_html), repeat=repeat)
    return [
        Result(
            name=f"6 PDF of a {pages}-page final plan (WeasyPrint)",
            times=times,
            target=f"< {TARGET_SECONDS:.0f} s",
            met=median < TARGET_SECONDS,
            sql_times=floor_times,
            note=(
                f"{len(html):,} characters of HTML; {cpu:.2f} s of CPU per render, "
                f"{cpu / pages:.3f} s per page (wall time above CPU is waiting for a core); "
                f"one more render: {layout_cpu:.2f} s parse, cascade and layout, "
                f"{write_cpu:.2f} s drawing and writing; DejaVu fonts; no network. Limit: "
                f"the same words as plain paragraphs ({page_count(floor_html)} pages, "
                "bench.plan_pdf.words_only_html) through the same renderer"
            ),
        )
    ]
