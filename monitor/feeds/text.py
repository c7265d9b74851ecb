"""Feed markup to capped plain text (pure): HTML stripped, entities decoded, invisible and
bidi-control characters dropped, whitespace collapsed, length bounded."""

from __future__ import annotations

from html.parser import HTMLParser

_INVISIBLE = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0),
                                0x200B, 0x200D, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
RAW_TEXT_MAX_CHARS = 100_000


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def to_plain_text(value: str, max_chars: int) -> str:
    """Markup off, entities decoded, invisible and bidi-override characters gone, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(value[:RAW_TEXT_MAX_CHARS])
    extractor.close()
    text = " ".join("".join(extractor.parts).translate(_INVISIBLE).split())
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"
