"""Text as a terminal, a CI log or a YAML parser must never receive it: the characters that hide, reorder or steer.

The deal loader refuses these characters in what a deal says; every line dealbrief prints is made
:func:`loggable` at the edge, whatever it holds (a file name, a key, a message quoting a value).
"""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from typing import Any

# Invisible text-direction marks (they make text read differently from what it is, "Trojan Source"); other invisible
# characters that hide text or fake an answer (zero-width space, word joiner, byte-order mark, Hangul fillers, tag
# characters, the deprecated shaping controls U+206A–U+206F, the interlinear annotation marks U+FFF9–U+FFFB that hide
# the text between them; the joiners U+200C/U+200D stay: scripts such as Persian need them); Unicode's noncharacters and lone
# surrogates (a file name that is not UTF-8); and the characters that break a line or steer a terminal: C0 and C1
# controls, DEL, the line and paragraph separators.
OVERRIDES = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates: they reorder text
MARKS = "\u200e\u200f\u061c"  # they only orient the characters next to them (Babel's own figures hold them)
DIRECTION_MARKS = OVERRIDES + MARKS
INVISIBLE = "\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb\u180e\u115f\u1160\u3164\uffa0\U000e0000-\U000e007f"
NONCHARACTERS = "\ud800-\udfff\ufdd0-\ufdef" + "".join(chr(plane * 0x10000 + end) for plane in range(17) for end in (0xFFFE, 0xFFFF))
HIDDEN = OVERRIDES + INVISIBLE + NONCHARACTERS
MARK = re.compile(f"[{MARKS}]")
UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{HIDDEN}]")
COMMAND_AT_START = re.compile(r"^((?:\s|\x1b\[[0-9;]*m)*)::")  # a line GitHub's runner reads as a workflow command…
COMMAND_ANYWHERE = "##["  # …and its older form, read anywhere in a line


def printable(text: str) -> str:
    """``text`` safe for a terminal and a CI log: every control, line-breaking or direction character shown as an escape.

    Each line dealbrief prints passes through here (or :func:`printable_json`), so no deal text can move the cursor,
    retitle the terminal, print a link, or start a line that CI reads as a command (``::error …``).
    """
    return UNPRINTABLE.sub(_escaped, text)


def printable_name(name: str) -> str:
    """A file name for a terminal: :func:`printable`, and its direction marks shown too (a figure may hold them, a name
    never needs them: at the start of a line one would turn the line around)."""
    return MARK.sub(_escaped, printable(name))


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def loggable(line: str, annotation: bool = False) -> str:
    """One line for a terminal or a CI log: :func:`printable`, and :func:`without_commands`."""
    return without_commands(printable(line), annotation)


def without_commands(line: str, annotation: bool = False) -> str:
    """``line`` holding no workflow command a CI runner would obey (``::error …`` at its start, ``##[error]`` anywhere).

    ``annotation`` marks dealbrief's own ``::error file=…`` lines (``check --format github``), the only
    ones that may start with ``::``; colour codes before the ``::`` do not hide it.
    """
    line = line.replace(COMMAND_ANYWHERE, "#\\#[")
    return line if annotation else COMMAND_AT_START.sub(r"\1\\::", line)


def printable_json(data: Any) -> str:
    """``data`` as indented JSON that is also printable: what JSON leaves raw in a string (DEL, C1, separators) as ``\\uXXXX``.

    JSON already escapes C0 controls inside strings, so the only line breaks left are its own indentation.  A ``Decimal``
    is a JSON number written digit for digit (a float loses digits above 2^53): dumped as a string marked by a random
    nonce of this call, which no deal text can hold, then written in place of that string.
    """
    nonce = secrets.token_hex(16)

    def number(value: Any) -> str:
        if isinstance(value, Decimal) and value.is_finite():
            return f"{nonce}{value:f}{nonce}"
        raise TypeError(f"{type(value).__name__} {value!r} is not JSON")

    text = json.dumps(data, indent=2, ensure_ascii=False, default=number)
    text = re.sub(f'"{nonce}(-?[0-9.]+){nonce}"', r"\1", text)
    return UNPRINTABLE.sub(lambda match: match.group() if match.group() == "\n" else f"\\u{ord(match.group()):04x}", text)
