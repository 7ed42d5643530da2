"""The parser's stages, in the order they run, each declaring what it needs and makes.

A stage is a function over the `Doc`; the work itself lives in the stage's
module (header, layout, countries, …), so this file reads as the recipe.
`tests/test_stages.py` checks that every need is made by an earlier stage and
that each stage reads nothing it did not declare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from relations.errors import ParseError
from relations.parser import allegiance
from relations.parser.agreements import find_agreements
from relations.parser.countries import Mentions, find_countries
from relations.parser.dates import find_dates
from relations.parser.doc import Doc, organization_countries
from relations.parser.events import event_date, event_place, event_type, known_places, parties, past_events
from relations.parser.header import as_date, credit, date_from_text, split_header
from relations.parser.layout import layout
from relations.parser.organizations import find_organizations, infer_countries
from relations.parser.organizations import vocab as org_vocab
from relations.parser.persons import find_persons
from relations.parser.runs import cap_runs, tokens
from relations.parser.topics import Topics
from relations.text import SpanIndex, fold, sentences

INPUTS = ("text", "source", "kb", "options")


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[Doc], None]
    needs: tuple[str, ...]
    makes: tuple[str, ...]


def read_header(doc: Doc) -> None:
    """The publication date: the header line, else the page's own date, else --date."""
    header = split_header(doc.text)
    doc.body = doc.text[header.body_start:]
    pub, how = header.date, header.how
    if pub is None:
        pub, how = date_from_text(doc.body)
    if pub is None and doc.options.default_date:
        pub, how = doc.options.default_date, "given with --date"
    if pub is None and doc.options.require_date:
        raise ParseError("no publication date in the header or the text; give one with --date YYYY-MM-DD")
    ref, precision = as_date(pub)
    if ref and doc.options.today and ref > doc.options.today:
        raise ParseError(f"publication date {pub} is in the future")
    doc.pub, doc.date_how, doc.ref, doc.precision = pub, how, ref, precision


def find_layout(doc: Doc) -> None:
    """Menus, captions and the headline apart from the story; the story's sentences."""
    doc.folded = fold(doc.body)
    doc.layout = layout(doc.body, doc.folded)
    doc.sentences = sentences(doc.body)
    lay = doc.layout
    doc.story_sentences = [s for s in doc.sentences
                           if s[0] >= lay.story_start and not lay.is_noise(*s)] or doc.sentences


def find_credit(doc: Doc) -> None:
    cities = known_places(doc.kb).cities
    doc.credit = credit(doc.body, org_vocab(doc.kb).agencies, doc.layout.story_start,
                        is_place=lambda name: fold(name) in cities)


def find_all_countries(doc: Doc) -> None:
    doc.all_countries = find_countries(doc.body, doc.folded, doc.kb)


def find_runs(doc: Doc) -> None:
    doc.tokens = tokens(doc.body, folded=doc.folded)
    doc.runs = cap_runs(doc.body, doc.tokens)


def find_orgs(doc: Doc) -> None:
    orgs = find_organizations(doc.body, doc.folded, doc.runs, doc.all_countries, doc.kb, doc.layout.is_noise)
    agency = doc.credit.agency_span
    # an agency credited as source is not an organisation
    doc.organizations = [o for o in orgs if not (agency and any(a <= agency[0] < b for a, b in o.spans))]


def find_people(doc: Doc) -> None:
    """Persons; a country word inside a person's name is no longer a mention of that country."""
    doc.persons = find_persons(doc.body, doc.tokens, doc.runs, doc.all_countries, doc.organizations,
                               doc.kb, doc.layout.is_noise)
    in_person = SpanIndex(doc.person_spans())
    doc.countries = Mentions(m for m in doc.all_countries if not in_person.contains(m.start, m.end))


def find_opening(doc: Doc) -> None:
    """The first two sentences of the story, after the dateline."""
    story, dateline_end = doc.story_sentences, doc.credit.dateline_end
    opening = (story[0][0], story[min(1, len(story) - 1)][1]) if story else (0, len(doc.body))
    if dateline_end and opening[0] <= dateline_end < opening[1]:
        # the dateline ("VIETNAM, May 17 - HÀ NỘI —") is not part of the story's first sentence
        opening = (dateline_end, opening[1])
    elif dateline_end and dateline_end >= opening[1]:
        # a photo caption before the dateline: the story starts after "BEIJING, Aug. 19 (Xinhua) —"
        after = [sp for sp in story if sp[1] > dateline_end]
        if after:
            opening = (dateline_end, after[min(1, len(after) - 1)][1])
    doc.opening = opening


def find_date_mentions(doc: Doc) -> None:
    doc.dates = find_dates(doc.body, doc.ref, doc.precision, folded=doc.folded)


def find_event_type(doc: Doc) -> None:
    doc.event_type, doc.type_span = event_type(doc.body, doc.folded, doc.opening, doc.kb, doc.layout.headline)


def find_event_date(doc: Doc) -> None:
    cred = doc.credit
    in_dateline = [m for m in doc.dates if cred.dateline_span and cred.dateline_end
                   and cred.dateline_span[0] <= m.start < cred.dateline_end]
    doc.event_date = event_date(doc.dates, doc.opening, doc.type_span[0] if doc.type_span else None,
                                doc.ref if doc.precision == "day" else None, in_dateline)


def find_event_place(doc: Doc) -> None:
    """Where the happening took place; a phone call has no place but its dateline's."""
    lead = (0, doc.opening[0]) if doc.opening[0] - doc.layout.story_start < 1000 else None
    fallback = doc.layout.headline
    if lead:
        # a caption above the story names the event's city unless it dates another happening
        dated = [m.value for m in doc.dates if lead[0] <= m.start < lead[1] and m.kind in ("exact", "weekday")]
        if not dated or (doc.event_date and doc.event_date.value in dated):
            fallback = lead
    place, span = event_place(
        doc.body, doc.opening, doc.type_span[0] if doc.type_span else None,
        doc.organization_spans() + doc.person_spans(), [(m.start, m.end) for m in doc.countries],
        doc.credit.dateline, doc.kb, [m.code for m in doc.countries], lead, fallback)
    if doc.event_type == "call" and span and any(m.start <= span[0] < m.end for m in doc.countries):
        dl = doc.credit.dateline
        place, span = (dl.title() if dl and dl.isupper() else dl), None
    doc.place, doc.place_span = place, span


def find_parties(doc: Doc) -> None:
    """The countries whose relations the story is about, and the one named most (its home)."""
    doc.parties = parties(
        [p.country for p in doc.persons if p.country and any(doc.in_opening(s) for s, _ in p.spans)],
        [m.code for m in doc.countries if doc.in_opening(m.start)],
        [m.code for m in doc.countries],
        [p.country for p in doc.persons if p.country],
    )
    dl = known_places(doc.kb).cities.get(fold(doc.credit.dateline)) if doc.credit.dateline else None
    if len(doc.parties) == 1 and dl and dl != doc.parties[0]:
        # "ISLAMABAD - Foreign Minister Bilawal Bhutto Zardari and his Afghan counterpart": the host is the other
        doc.parties = sorted(doc.parties + [dl])
    counts = Counter(m.code for m in doc.countries)
    doc.home = max(doc.parties, key=lambda c: counts[c]) if doc.parties else None


def find_organization_countries(doc: Doc) -> None:
    infer_countries(doc.body, doc.organizations, doc.home, doc.kb)


def find_person_countries(doc: Doc) -> None:
    allegiance.assign(doc)


def find_topics(doc: Doc) -> None:
    """Topics from the story and headline; menus, credits, names and offices do not count."""
    credit_spans = [doc.credit.agency_span] if doc.credit.agency_span else []
    # a word inside a person's office ("Economy Secretary") is not a topic, as inside a name
    title_spans = [tuple(p.title_span) for p in doc.persons if p.title_span]
    noise = [n for n in doc.layout.noise if n != doc.layout.headline]
    doc.topic_finder = Topics(doc.body, doc.folded, doc.kb)
    names = [sp for o in doc.organizations if not o.names_a_sector for sp in o.spans]
    doc.topics = doc.topic_finder.find(names + credit_spans + title_spans + noise)


def find_documents(doc: Doc) -> None:
    doc.agreements = find_agreements(doc.body, doc.folded, doc.sentences, doc.kb,
                                     doc.organization_spans() + list(doc.layout.noise), doc.topics_in,
                                     doc.parties, doc.ref, organization_countries(doc.organizations))


def find_past_events(doc: Doc) -> None:
    end = doc.credit.dateline_end
    skip = doc.layout.is_noise
    # the dateline's own date is the publication, not a referenced happening
    doc.past_events = past_events(doc.body, doc.dates, doc.event_date, doc.sentences,
                                  lambda a, b: skip(a, b) or (end is not None and a < end))


STAGES: tuple[Stage, ...] = (
    Stage("header", read_header, ("text", "options"), ("body", "pub", "date_how", "ref", "precision")),
    Stage("layout", find_layout, ("body",), ("folded", "layout", "sentences", "story_sentences")),
    Stage("credit", find_credit, ("body", "kb", "layout"), ("credit",)),
    Stage("countries", find_all_countries, ("body", "folded", "kb"), ("all_countries",)),
    Stage("runs", find_runs, ("body", "folded"), ("tokens", "runs")),
    Stage("organizations", find_orgs, ("body", "folded", "runs", "all_countries", "kb", "layout", "credit"),
          ("organizations",)),
    Stage("persons", find_people, ("body", "tokens", "runs", "all_countries", "organizations", "kb", "layout"),
          ("persons", "countries")),
    Stage("opening", find_opening, ("body", "story_sentences", "credit"), ("opening",)),
    Stage("dates", find_date_mentions, ("body", "folded", "ref", "precision"), ("dates",)),
    Stage("event_type", find_event_type, ("body", "folded", "opening", "kb", "layout"),
          ("event_type", "type_span")),
    Stage("event_date", find_event_date, ("dates", "opening", "type_span", "ref", "precision", "credit"),
          ("event_date",)),
    Stage("event_place", find_event_place, ("body", "opening", "type_span", "organizations", "persons",
                                            "countries", "credit", "kb", "layout", "dates", "event_date",
                                            "event_type"), ("place", "place_span")),
    Stage("parties", find_parties, ("persons", "countries", "opening", "layout", "credit", "kb"), ("parties", "home")),
    Stage("organization_countries", find_organization_countries, ("body", "organizations", "home", "kb"),
          ("organizations",)),
    Stage("person_countries", find_person_countries, allegiance.NEEDS, ("persons",)),
    Stage("topics", find_topics, ("body", "folded", "kb", "credit", "persons", "organizations", "layout"),
          ("topic_finder", "topics")),
    Stage("agreements", find_documents, ("body", "folded", "sentences", "kb", "organizations", "layout",
                                         "topic_finder", "parties", "ref"), ("agreements",)),
    Stage("past_events", find_past_events, ("body", "dates", "event_date", "sentences", "layout", "credit"),
          ("past_events",)),
)


def run(doc: Doc, stages: tuple[Stage, ...] = STAGES) -> Doc:
    for stage in stages:
        stage.run(doc)
    return doc
