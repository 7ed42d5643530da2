"""News pages made from article texts: the story wrapped in the chrome of a real news site.

Used by the HTML ingest benchmark and by the tests that check a page gives the
same record as its text. The chrome is what saved pages carry around a story:
a cookie banner, a header with a long section menu, breadcrumbs, share
buttons, an inline newsletter box, related and most-read lists, a sidebar,
a footer with many links, a JSON-LD block, inline styles and scripts.
"""

from __future__ import annotations

import html
import json
import random

SECTIONS = ["Home", "World", "Politics", "Business", "Markets", "Economy", "Technology", "Science", "Climate",
            "Health", "Education", "Opinion", "Culture", "Travel", "Sport", "Podcasts", "Video", "Weather"]
TEASERS = ["Parliament debates the budget for regional ports", "Heavy rain expected in the north this weekend",
           "Central bank keeps its main interest rate unchanged", "New rail line opens after a decade of work",
           "Farmers count the cost of a late harvest", "City council approves plan for riverside park",
           "Exporters warn of rising shipping costs", "University announces new scholarship programme",
           "Festival returns after two years with a record line-up", "Fuel prices fall for the second month",
           "Hospital opens a new wing for children", "Election commission publishes final turnout figures"]
SITES = ["The Daily Example", "Harbour Post", "Northern Courier", "Evening Dispatch", "Capital Observer"]
_STYLE = "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i:06x}}}" for i in range(400))
_SCRIPT = "".join(f"window.cfg{i}={{id:{i},slot:'ad-{i}',lazy:true}};" for i in range(300))


def _links(rng: random.Random, items: list[str], n: int, prefix: str) -> str:
    picked = rng.sample(items, min(n, len(items)))
    return "".join(f'<li><a href="/{prefix}/{i}-{rng.randrange(10**6)}">{html.escape(t)}</a></li>'
                   for i, t in enumerate(picked))


def news_page(title: str, date: str | None, paragraphs: list[str], *, seed: int = 0) -> str:
    """One page: the headline, the date in the page's metadata (when given) and the paragraphs, in chrome."""
    rng = random.Random(seed)
    site = SITES[seed % len(SITES)]
    t = html.escape(title)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": f"{date}T07:30:00Z"}).replace("</", "<\\/")
    meta = (f'<meta property="article:published_time" content="{date}T07:30:00+00:00">'
            f'<script type="application/ld+json">{ld}</script>') if date else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    menu = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t} | {site}</title><meta property="og:title" content="{t}"><meta property="og:site_name" content="{site}">
{meta}<style>{_STYLE}</style><script>{_SCRIPT}</script></head>
<body class="article">
<div id="cookie-consent" class="cookie-banner" role="dialog"><p>We use cookies and similar technologies to
personalise content and ads, to provide social media features and to analyse our traffic.</p>
<button>Accept all cookies</button><button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/">{site}</a><nav class="main-menu"><ul>{menu}</ul></nav>
<form class="search" action="/search"><input type="search" name="q" placeholder="Search"></form>
<div class="account"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></div></header>
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/world">World</a></div>
<main id="content"><article class="story"><h1 class="headline">{t}</h1>
<div class="meta"><span class="byline">By a staff correspondent</span></div>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
{body}
<div class="newsletter"><h3>Get the morning briefing</h3><p>Subscribe to our free newsletter.</p></div>
</article>
<aside class="related-stories"><h2>Related stories</h2><ul>{_links(rng, TEASERS, 4, "news")}</ul></aside>
<aside class="most-read"><h2>Most read</h2><ol>{_links(rng, TEASERS, 5, "popular")}</ol></aside></main>
<div class="sidebar"><div class="ad-slot" id="ad-top">Advertisement</div>
<div class="widget"><h4>Latest</h4><ul>{_links(rng, TEASERS, 6, "latest")}</ul></div></div>
<footer class="site-footer"><nav><ul>{menu}</ul></nav><ul><li><a href="/about">About us</a></li>
<li><a href="/contact">Contact</a></li><li><a href="/advertise">Advertise</a></li><li><a href="/privacy">Privacy
policy</a></li><li><a href="/terms">Terms of use</a></li></ul><p>© 2025 {site}. All rights reserved.</p></footer>
<script src="/static/app.js" async></script></body></html>
"""
