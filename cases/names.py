"""Comparing children's names at intake (ehc-process.md section 10): is this the child we may
already know? Pure functions, no database: the selector narrows the candidates to the children
born on the same day (an index), and these decide which of that handful look like the same name.

A name is compared after folding away what varies between the ways it is written down: letter
case, accents (Zoë, Zoe), hyphens, spaces and apostrophes (Smith-Jones, Smith Jones, O'Brien,
OBrien). A typo is tolerated: an edit distance of 1 on short names, 2 on longer ones.
"""

from __future__ import annotations

import unicodedata

#: Names this long or longer tolerate two typing mistakes; shorter ones one.
LONG_NAME = 6


def normalise(name: str) -> str:
    """Casefolded, without accents, keeping only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(
        char for char in decomposed.casefold() if not unicodedata.combining(char) and char.isalnum()
    )


def edit_distance(first: str, second: str, *, limit: int = 2) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two neighbours),
    stopped early at `limit + 1`: only "close or not" matters here."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_row = None
    row = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(second)
        for j, b in enumerate(second, start=1):
            cost = 0 if a == b else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
    return row[-1]


def _tolerance(name: str) -> int:
    return 2 if len(name) >= LONG_NAME else 1


def names_close(first: str, second: str) -> bool:
    """Two normalised names the same but for a typo (or one the start of the other, as a
    double-barrelled surname is of one of its parts)."""
    if not first or not second:
        return False
    if first == second:
        return True
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= 3 and (longer.startswith(shorter) or longer.endswith(shorter)):  # noqa: PLR2004
        return True
    limit = _tolerance(shorter)
    return edit_distance(first, second, limit=limit) <= limit


def similar_names(
    first_name: str, last_name: str, other_first_name: str, other_last_name: str
) -> bool:
    """Section 10's "a similar name", for two children born on the same day: the same family
    name give or take a typo (twins and siblings included: the caseworker says which child it
    is), or the same whole name give or take a typo, in either order."""
    first, last = normalise(first_name), normalise(last_name)
    other_first, other_last = normalise(other_first_name), normalise(other_last_name)
    if names_close(last, other_last):
        return True
    whole, other_whole = first + last, other_first + other_last
    limit = _tolerance(whole)
    return (
        edit_distance(whole, other_whole, limit=limit) <= limit
        or edit_distance(whole, other_last + other_first, limit=limit) <= limit
    )
