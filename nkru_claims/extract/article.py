"""Read an article, as plain text or a saved web page, into its text and its metadata.

A saved page is mostly navigation, scripts and sidebars; finding the article in it is a
solved problem that hand-written tag stripping solves badly, so an HTML page goes through
trafilatura (imported on first use: plain text never pays for it). Its metadata (title,
site name, author, URL, date) fills the source record; what the page does not say comes
from the caller's options, and the options win, because the user has read the page.

Pages saved by clippers often carry a header of their own: YAML front matter (``title:``,
``date:``, ``from:``) or a Markdown link to the original (``[headline](url)``). They say
what the page is better than a guess from its markup does, so they are read first.
Plain text gives its date on a short line near the top (``2024/07/09 徐子軒``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

_HTML_TAG = re.compile(r"<(?:p|div|br|span|article|html|body|section|h[1-6]|li|figure)\b", re.I)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_MARKDOWN_TITLE = re.compile(r"^\s*\[([^\]\n]{4,300})\]\((https?://[^)\s]+)\)\s*$", re.M)
_DATE_LINE = re.compile(
    r"^\D{0,20}((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"
)
_HEAD_LINES = 14  # a plain-text article's date line comes before its body


@dataclass(frozen=True)
class Article:
    """An article's main text and what is known of where it comes from."""

    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: date | None = None
    name: str | None = None  # the file it was read from, for a stable source ref


def looks_like_html(raw: str) -> bool:
    """Several block tags: a saved page or an HTML fragment, not text that quotes one."""
    return len(_HTML_TAG.findall(raw[:200_000])) >= 2


def _iso_date(value: object) -> date | None:
    found = re.match(r"((?:19|20)\d{2})-(\d{2})-(\d{2})", str(value or ""))
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _front_matter(raw: str) -> tuple[dict[str, str], str]:
    """``key: value`` lines of a leading ``---`` block, and the text after it."""
    block = _FRONT_MATTER.match(raw)
    if block is None:
        return {}, raw
    fields = {}
    for line in block.group(1).splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip().isidentifier():
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, raw[block.end() :]


def _header(raw: str) -> tuple[Article, str]:
    """Metadata a clipper wrote above the page, and the rest of the text."""
    fields, rest = _front_matter(raw)
    url = fields.get("from") or fields.get("url") or fields.get("source")
    title = fields.get("title")
    link = _MARKDOWN_TITLE.search(rest[:2000])
    if link:
        title, url = title or link.group(1).strip(), url or link.group(2)
        rest = rest[: link.start()] + rest[link.end() :]
    published = _iso_date(fields.get("date"))
    return Article(text="", title=title or None, url=url or None, published=published), rest


def _from_html(html: str, known: Article) -> Article:
    """The main text and metadata trafilatura finds; its plain-text fallback otherwise."""
    import trafilatura

    if not re.search(r"<html\b", html[:5000], re.I):
        html = f"<html><body>{html}</body></html>"  # a fragment: give it a document
    found = trafilatura.bare_extraction(html, with_metadata=True, favor_recall=True)
    if found is None or not (found.text or "").strip():
        return replace(known, text=trafilatura.html2txt(html) or "")
    return Article(
        text=found.text or "",
        title=known.title or found.title,
        outlet=known.outlet or found.sitename,
        author=known.author or found.author,
        url=known.url or found.url,
        # a clipper's date is the page's own; trafilatura guesses one when it finds none
        published=known.published or _iso_date(found.date),
    )


def _plain_date(text: str) -> date | None:
    """The first short line near the top that starts with a full date."""
    for line in text.splitlines()[:_HEAD_LINES]:
        found = _DATE_LINE.match(line.strip())
        if found and len(line.strip()) <= 40:
            try:
                return date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                continue
    return None


def read_article(
    raw: str,
    *,
    name: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    url: str | None = None,
    published: date | None = None,
) -> Article:
    """The article in ``raw`` (plain text or HTML); the keyword values override the page's."""
    known, rest = _header(raw)
    if looks_like_html(rest):
        article = _from_html(rest, known)
    else:
        article = replace(known, text=rest, published=known.published or _plain_date(rest))
    return Article(
        text=article.text.replace("\r\n", "\n").replace("\r", "\n"),
        title=title or article.title,
        outlet=outlet or article.outlet,
        author=author or article.author,
        url=url or article.url,
        published=published or article.published,
        name=name,
    )
