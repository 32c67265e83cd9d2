"""Text from users (URL values, file names, headers, cells) shown as text, never as markup.

Streamlit's st.markdown, st.warning, st.success, st.caption and friends parse Markdown,
including links, images (fetched from anywhere), LaTeX, :red[...] colours and
:material/...: icons. Escaping is not enough: GFM turns any text that looks like a URL,
"www." or an e-mail address into a link after parsing, escaped or not. So `md_literal`
puts user text in a code span, the one Markdown construct whose content is never parsed
or linked: control characters become spaces, long values are cut with an ellipsis.
Tables of user values use st.dataframe, which does not parse Markdown at all.

Before any of that, `clean_text` removes what draws nothing (zero-width characters, BOM,
soft hyphen, bidi controls) from every header and cell of an upload (fjchains.upload.reader) and
from every name a user types (fjchains.data.names): text is normalised once, where it comes in.
"""

from __future__ import annotations

import re

from fjchains.core import limits

#: The bidirectional controls (marks, embeddings, overrides, isolates): an override (U+202E)
#: in a file name or a link's value reversed the rest of our own sentence.
_BIDI = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
#: C0 controls other than tab and the line ends, and DEL.
_C0 = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
#: Characters that draw nothing: zero-width space, non-joiner and joiner, word joiner, the
#: BOM (zero-width no-break space) and the soft hyphen.
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff\u00ad"
# C0 controls, DEL, line and paragraph separators, and the bidirectional controls.
_CONTROL = re.compile(rf"[{_C0}\t\n\r\u2028\u2029{_BIDI}]+")
# What clean_text removes: the controls above that neither draw nor break a line, and the
# zero-width characters. Tabs and line breaks inside a cell stay (shown as spaces).
_INVISIBLE = re.compile(rf"[{_C0}{_BIDI}{_ZERO_WIDTH}]+")
_BACKTICKS = re.compile(r"`+")
_WORD_JOINER = "\u2060"  # invisible; splits what GFM or Streamlit would turn into markup


def clean_text(text) -> str:
    """A header, cell or typed name as the dashboard keeps it: characters that draw nothing
    (zero-width, BOM, soft hyphen, bidi and other controls but tab and line ends) removed,
    whitespace stripped at both ends. Text of nothing else becomes "" (empty, missing)."""
    return _INVISIBLE.sub("", str(text)).strip()


def truncate(text, limit: int = limits.MAX_SHOWN_CHARS) -> str:
    """Control characters as one space, cut to `limit` characters with an ellipsis."""
    text = _CONTROL.sub(" ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def md_literal(text, limit: int = limits.MAX_SHOWN_CHARS) -> str:
    """`text` as a Markdown code span: shown exactly as typed (cut to `limit`), never parsed."""
    body = truncate(text, limit).replace(":", ":" + _WORD_JOINER) or " "  # Streamlit rewrites ":material/x:"
    fence = "`" * (1 + max((len(run) for run in _BACKTICKS.findall(body)), default=0))
    pad = " " if body[0] == "`" or body[-1] == "`" else ""  # CommonMark strips one space each side
    return f"{fence}{pad}{body}{pad}{fence}"


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
#: "http:", ":smile:", ":red[", ":material/…:" (after each colon), "www." and "a@b".
_MARKUP_STARTS = re.compile(r"(?<=:)|(?i:(?<=w)(?=ww\.))|(?=@)")


def md_text(text, limit: int = 2_000) -> str:
    """Prose that contains user text (an error naming a file and a column), as plain text.

    Every ASCII punctuation character becomes a character reference (literal text in
    CommonMark), and an invisible word joiner after each colon, inside "www." and before
    "@" keeps links, emoji shortcodes and colour directives (which Streamlit applies after
    parsing) from forming. Use md_literal for a value standing alone.
    """
    text = _MARKUP_STARTS.sub(_WORD_JOINER, truncate(text, limit))
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group(1))};", text)
