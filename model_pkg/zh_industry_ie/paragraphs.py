"""Split a raw document (plain text, HTML or Markdown) into paragraphs as found.

Only markup is removed here: YAML front matter, HTML tags (block tags become paragraph
breaks), Markdown syntax and lines that are nothing but links (site navigation, share links).
The words themselves are returned untouched apart from the whitespace around each paragraph;
cleaning the text (pinyin, punctuation, widths) is the normaliser's job, so that gold offsets
and user offsets stay offsets into the paragraph as found.

HTML and front matter are detected by content, whatever the file extension says: web
scrapes often save an HTML body or a Jekyll post as ``.txt``.
"""

from __future__ import annotations

import html
import re

FORMATS = ("txt", "html", "md")

# "---" on the first line, YAML lines, then a closing "---" or "..." line.
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?:.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*:", re.M)

_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|br|caption|dd|div|dl|dt|figcaption|figure|footer|form|"
    "h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|title|tr|ul"
)
_INLINE_TAGS = "a|abbr|b|big|cite|code|em|font|i|img|small|span|strong|sub|sup|u"
_HTML_TAG = re.compile(rf"</?(?:{_BLOCK_TAGS}|{_INLINE_TAGS})\b[^<>]*>", re.I)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^<>]*>", re.I)
# Any element-like tag once we know the text is HTML; "<5%" or "a < b" are not tags.
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DOCTYPE = re.compile(r"<![A-Za-z][^<>]*>")
# Content that is code or styling, not text (the normaliser removes it from a single string too).
SCRIPT_ELEMENT = re.compile(r"<(script|style|noscript|template)\b[^<>]*>.*?</\1\s*>", re.S | re.I)
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+|www\.[^<>\s]+)>", re.I)

_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_MD_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")

_URL = r"(?:(?:https?|ftp)://|//|www\.)[^\s<>()]+"
# A line made only of links and separators carries no running text (navigation bars,
# "return to home page", bare share URLs).
_LINK_ONLY = re.compile(rf"^(?:\s*(?:\[[^\]\n]*\]\([^)\n]*\)|<?{_URL}>?)\s*[|｜/·•,，、]?)+\s*$")

_PARAGRAPH_WHITESPACE = " \t\r\f\v\u3000\xa0\ufeff"


def strip_front_matter(raw: str) -> str:
    """Remove a leading YAML front matter block (only if it really holds YAML keys)."""
    match = _FRONT_MATTER.match(raw)
    if match and _YAML_KEY.search(match.group(0)):
        return raw[match.end() :]
    return raw


def looks_like_html(raw: str) -> bool:
    """True when the text holds HTML elements (a block tag, or at least two known tags)."""
    if _BLOCK_TAG.search(raw):
        return True
    return len(_HTML_TAG.findall(raw, 0, 200_000)) >= 2


def _html_to_lines(raw: str) -> str:
    text = _COMMENT.sub("", raw)
    text = SCRIPT_ELEMENT.sub("\n", text)
    text = _DOCTYPE.sub("", text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    # Entities last: an escaped "&lt;p&gt;" is text, not a tag.
    return html.unescape(text)


def _markdown_line(line: str) -> str:
    if _MD_RULE.match(line):
        return ""
    line = _MD_PREFIX.sub("", line)
    line = _MD_IMAGE.sub(lambda m: m.group(1), line)
    line = _MD_LINK.sub(lambda m: m.group(1), line)
    return _MD_EMPHASIS.sub(lambda m: m.group(2), line)


def split_paragraphs(raw: str, fmt: str = "txt") -> list[str]:
    """Paragraphs of one document, in order: one per non-empty line once markup is removed.

    ``fmt`` is the declared format ("txt", "html" or "md"); HTML and front matter found in
    the content are handled whatever the declared format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown document format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not isinstance(raw, str):
        raise TypeError(f"split_paragraphs() expects str, got {type(raw).__name__}")
    text = strip_front_matter(raw.replace("\r\n", "\n").replace("\r", "\n"))
    if fmt == "html" or looks_like_html(text):
        text = _html_to_lines(text)
    paragraphs: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _LINK_ONLY.match(line):
            continue
        if fmt == "md":
            # Fence markers go, the code inside stays text like any other line.
            if _MD_FENCE.match(line):
                in_fence = not in_fence
                continue
            if not in_fence:
                line = _markdown_line(line)
        line = line.strip(_PARAGRAPH_WHITESPACE + "\n")
        if line:
            paragraphs.append(line)
    return paragraphs
