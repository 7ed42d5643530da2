"""The document every parser stage reads from and writes to.

A stage reads the fields it declares as needs and assigns the ones it makes;
a field no stage has made yet is simply absent (reading it raises
AttributeError), so a stage that reads more than it declares fails loudly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relations.knowledge import Knowledge
    from relations.parser.agreements import Agreement
    from relations.parser.countries import CountryMention, Mentions
    from relations.parser.dates import DateMention
    from relations.parser.header import Credit
    from relations.parser.layout import Layout
    from relations.parser.organizations import Org
    from relations.parser.persons import Person
    from relations.parser.runs import Run, Tok
    from relations.parser.topics import Topics

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What the caller decides about one parse: the same object reaches every stage."""

    default_date: str | None = None
    require_date: bool = True
    today: date | None = None


@dataclass(slots=True)
class Doc:
    """One article on its way to becoming a record."""

    text: str
    source: dict
    kb: Knowledge
    options: ParseOptions
    # header
    body: str = field(init=False)
    pub: str | None = field(init=False)
    date_how: str | None = field(init=False)
    ref: date | None = field(init=False)
    precision: str = field(init=False)
    # layout
    folded: str = field(init=False)
    layout: Layout = field(init=False)
    sentences: list[Span] = field(init=False)
    story_sentences: list[Span] = field(init=False)
    credit: Credit = field(init=False)
    # names
    all_countries: list[CountryMention] = field(init=False)
    tokens: list[Tok] = field(init=False)
    runs: list[Run] = field(init=False)
    organizations: list[Org] = field(init=False)
    persons: list[Person] = field(init=False)
    countries: Mentions = field(init=False)
    # the happening
    opening: Span = field(init=False)
    dates: list[DateMention] = field(init=False)
    event_type: str = field(init=False)
    type_span: Span | None = field(init=False)
    event_date: DateMention | None = field(init=False)
    place: str | None = field(init=False)
    place_span: Span | None = field(init=False)
    parties: list[str] = field(init=False)
    home: str | None = field(init=False)
    # what it is about
    topic_finder: Topics = field(init=False)
    topics: dict[str, list[Span]] = field(init=False)
    agreements: list[Agreement] = field(init=False)
    past_events: list[dict] = field(init=False)

    def in_opening(self, start: int) -> bool:
        """True for an offset in the story's first sentences or in the headline."""
        headline = self.layout.headline
        return self.opening[0] <= start < self.opening[1] or bool(headline and headline[0] <= start < headline[1])

    def organization_spans(self) -> list[Span]:
        return [sp for o in self.organizations for sp in o.spans]

    def person_spans(self) -> list[Span]:
        return [sp for p in self.persons for sp in p.spans]

    def topics_in(self, start: int, end: int, exclude: tuple[Span, ...] | list[Span] = ()) -> set[str]:
        """The topics whose words stand inside text[start:end]."""
        return set(self.topic_finder.find(list(exclude), start, end))


def organization_countries(orgs: list[Org]) -> Callable[[int, int], set[str]]:
    """A lookup of the countries of the organisations named inside text[start:end]."""
    starts = sorted((a, i) for i, o in enumerate(orgs) if o.country for a, _ in o.spans)

    def inside(start: int, end: int) -> set[str]:
        lo, hi = bisect_left(starts, (start, -1)), bisect_left(starts, (end, -1))
        return {orgs[i].country for _, i in starts[lo:hi]}

    return inside
