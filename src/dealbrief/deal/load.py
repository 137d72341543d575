"""Read a deal file into plain data plus the line and column of every key.

The YAML is read safely and the YAML 1.2 way, so nothing surprises: ``NO`` and
``0755`` stay text, numbers become ``int`` or an exact ``Decimal`` (never a
float), dates must be real ISO dates.  Duplicate keys, anchors/aliases, tags,
second documents, bad UTF-8, bidi controls and oversized or deeply nested files
are refused with a located problem instead of a traceback.  Text is checked after YAML's
escapes are resolved, so ``"\\e[31m"`` or ``"\\u202e"`` in a quoted string is refused like the
character itself: a tab or a line break is the only control character text may hold, and keys
hold none.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.cyaml import CParser  # type: ignore[attr-defined]  # libyaml's, built with PyYAML (types-PyYAML does not export it)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from ..errors import InvalidDeal, KeyPath, Problem, dotted, found
from ..text import DIRECTION_MARKS, HIDDEN, MARKS

MAX_BYTES = 256 * 1024
CURRENCY = "[$€£¥]"  # a currency sign typed before an amount, as people write prices
MAX_DEPTH = 16

STR, INT, FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
BOOL, NULL, DATE = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"
SEQ, MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
BIDI = re.compile(f"[{DIRECTION_MARKS}]")
UNSAFE_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{HIDDEN}{MARKS}]")  # a tab or line break is text
UNSAFE_IN_KEY = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{HIDDEN}{MARKS}]")


class _Resolver(BaseResolver):
    """YAML 1.2 core schema, minus what surprises: no yes/no/on/off, no octal, no ``1_000``."""


for _tag, _pattern, _first in [
    (BOOL, r"true|True|TRUE|false|False|FALSE", "tTfF"),
    (NULL, r"~|null|Null|NULL|", "~nN"),
    (INT, r"[-+]?(?:0|[1-9][0-9]*)", "-+0123456789"),
    (FLOAT, r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", "-+.0123456789"),
    (DATE, r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "0123456789"),
]:
    _Resolver.add_implicit_resolver(_tag, re.compile(rf"^(?:{_pattern})$"), list(_first) + ([""] if _tag == NULL else []))


class _FastLoader(CParser, _Resolver):
    """libyaml's parser: ten times faster; used when the text holds no ``&`` (so no anchors)."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        _Resolver.__init__(self)


class _CheckedLoader(Reader, Scanner, Parser, Composer, _Resolver):
    """The pure-Python parser, which sees anchors, so it can refuse them."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.MarkedYAMLError(
                problem=f"anchors and aliases (&{anchor}, *{anchor}) are not allowed: write the value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


@dataclass(frozen=True)
class Document:
    """A deal file's data, where each key was written, and the digest of its bytes.

    ``written`` is how each plain (unquoted) number, date or true/false was typed, so a text field can take
    ``period: 2026`` as the text "2026" and a money field can question ``85.000``.  ``problems`` are the values
    the loader refused (a date that does not exist, a control character): each is ``None`` in ``data`` and its
    path is in ``refused``, so validation still finds every other problem of the file.
    """

    file: str
    data: dict[str, Any]
    marks: dict[KeyPath, tuple[int, int]]
    digest: str
    written: dict[KeyPath, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    refused: frozenset[KeyPath] = frozenset()

    def locate(self, path: KeyPath) -> tuple[int, int]:
        """The line/column of ``path``, or of its nearest written parent (for missing keys)."""
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def problem(self, path: KeyPath, message: str) -> Problem:
        line, column = self.locate(path)
        return Problem(self.file, line, column, dotted(path), message)


def read(path: Path, file: str) -> bytes:
    """The bytes of the deal file at ``path``, or :class:`InvalidDeal` if it is not one to read.

    Only a regular file is read (a pipe would block, a device never end), never through a symbolic
    link (it could make the tool read, and echo, any file on the machine), and never more than the
    size limit allows: a 3 GB file costs one byte over the limit, not 3 GB of memory.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        link = path.is_symlink()
        why = "deal files may not be symbolic links: copy the file instead" if link else f"cannot read the file: {exc.strerror}"
        raise InvalidDeal([Problem(file, 1, 1, "", why)]) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "not a regular file"
        raise InvalidDeal([Problem(file, 1, 1, "", f"this is {kind}, not a deal file: only deal files may be named *.yaml here")])
    with os.fdopen(descriptor, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InvalidDeal([Problem(file, 1, 1, "", f"file is over {MAX_BYTES:,} bytes, the most a deal file may be")])
    return raw


def file_digest(raw: bytes) -> str:
    """The SHA-256 of a deal file's bytes, its line endings made LF first: the same for a file checked out with CRLF
    (git's ``core.autocrlf``) as for the version git stores, so a PDF's footer names a version in the history."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def parse(raw: bytes, file: str) -> Document:
    """The deal in ``raw`` (the bytes of ``file``, from disk or from git)."""
    if len(raw) > MAX_BYTES:
        raise InvalidDeal([Problem(file, 1, 1, "", f"file is over {MAX_BYTES:,} bytes, the most a deal file may be")])
    digest = file_digest(raw)  # what the PDFs' footers print the start of, and sent.file_hash records
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise InvalidDeal([Problem(file, line, column, "", "not valid UTF-8: save the file as UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    if bidi := BIDI.search(text):
        line, column = _position(text, bidi.start())
        raise InvalidDeal([Problem(file, line, column, "", f"invisible text-direction character U+{ord(bidi.group()):04X} is not allowed")])
    node = _compose(text, file)
    if node is None:
        raise InvalidDeal([Problem(file, 1, 1, "", "the file is empty: start from `dealbrief new ID`")])
    if not isinstance(node, MappingNode):
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        raise InvalidDeal([Problem(file, line, column, "", "expected a mapping of keys (dealbrief:, customer:, …), found " + _kind(node))])
    builder = _Builder(file)
    data = builder.build(node, (), 0)
    return Document(file, data, builder.marks, digest, builder.written, tuple(builder.problems), frozenset(builder.refused))


def _compose(text: str, file: str) -> Node | None:
    loader = None
    try:  # the pure-Python reader already checks characters while it is constructed
        loader = (_CheckedLoader if "&" in text else _FastLoader)(text)
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem]))
        raise InvalidDeal([Problem(file, line, column, "", f"invalid YAML: {message}")]) from None
    except RecursionError:
        raise InvalidDeal([Problem(file, 1, 1, "", f"nested too deeply; a deal is at most {MAX_DEPTH} levels deep")]) from None
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        position: int = getattr(exc, "position", 0)
        line, column = _position(text, position)
        raise InvalidDeal([Problem(file, line, column, "", f"invalid YAML: {getattr(exc, 'reason', exc)}")]) from None
    finally:
        if loader:
            loader.dispose()


def _position(text: str | bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text`` (counted in bytes for bytes)."""
    if isinstance(text, bytes):
        return text.count(b"\n", 0, offset) + 1, offset - (text.rfind(b"\n", 0, offset) + 1) + 1
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"the number {node.value}" if node.tag in (INT, FLOAT) else found(node.value)


def _split(value: Node, key: Node) -> bool:
    """Did a flow mapping's comma split a number into ``value`` and the next key, as in ``{amount: 85,000}`` (85 and the
    key 000), ``{price: $1,125}`` ($1 and 125) or a decimal comma, ``{rate: 0,80}`` (0 and the key 80)?"""
    if not (isinstance(value, ScalarNode) and isinstance(key, ScalarNode) and not value.style and not key.style):
        return False
    thousands = re.fullmatch(f"{CURRENCY}?[0-9]+", value.value) and re.fullmatch("[0-9]{3}", key.value)
    decimal = re.fullmatch("[0-9]+", value.value) and re.fullmatch("[0-9]{1,2}", key.value)
    return bool(thousands or decimal) and value.tag in (INT, FLOAT, STR) and value.end_mark.index + 1 == key.start_mark.index


def _describe_character(character: str) -> str:
    """``the control character U+001B``: how a refused invisible character is named."""
    kind = "control character" if ord(character) < 0xA0 else "invisible character"
    kind = "invisible text-direction character" if BIDI.match(character) else kind
    return f"the {kind} U+{ord(character):04X}"


class _Builder:
    """Turns composed nodes into Python data, recording marks and collecting every problem."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.marks: dict[KeyPath, tuple[int, int]] = {(): (1, 1)}
        self.problems: list[Problem] = []
        self.refused: set[KeyPath] = set()
        self.written: dict[KeyPath, str] = {}
        self.seen: set[int] = set()

    def fail(self, node: Node, path: KeyPath, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, dotted(path), message))
        self.refused.add(path)

    def build(self, node: Node, path: KeyPath, depth: int) -> Any:
        if id(node) in self.seen:
            return self.fail(node, path, "aliases (*name) are not allowed: write the value out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            return self.fail(node, path, f"nested more than {MAX_DEPTH} levels deep; a deal is never this deep")
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            out = []
            for index, item in enumerate(node.value):
                self.marks[path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                out.append(self.build(item, path + (index,), depth + 1))
            for item, after in pairwise(node.value):
                if _split(item, after):  # [0,5, 1]: the comma split 0.5 into the items 0 and 5
                    self._split_number(item, path, [item.value, after.value], in_list=True)
                    break
            return out
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        before: tuple[str, Node] | None = None  # the key before, and its value
        pairs, index = node.value, 0
        while index < len(pairs):
            key_node, value_node = pairs[index]
            if before and _split(before[1], key_node):
                parts, last = [before[1].value], before[1]
                while index < len(pairs) and _split(last, pairs[index][0]):  # 1,250,000: every group made into a key
                    last = pairs[index][0]
                    parts.append(last.value)
                    index += 1
                self._split_number(before[1], path + (before[0],), parts)
                out[before[0]], before = None, None
                continue
            index += 1
            if not (isinstance(key_node, ScalarNode) and key_node.tag == STR):
                self.fail(key_node, path, f"keys must be plain words, found {_kind(key_node)}")
                continue
            key, where = key_node.value, (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if bad := UNSAFE_IN_KEY.search(key):
                self.fail(key_node, path, f"a key may not hold {_describe_character(bad.group())}: write the key as a plain word")
                continue
            if key in out:
                first = self.marks[path + (key,)][0]
                self.fail(key_node, path + (key,), f"duplicate key (first written on line {first}); keep one")
                continue
            self.marks[path + (key,)] = where
            out[key] = self.build(value_node, path + (key,), depth + 1)
            before = (key, value_node)
        return out

    def _split_number(self, node: Node, path: KeyPath, parts: list[str], in_list: bool = False) -> None:
        typed, digits = ",".join(parts), [re.sub("[^0-9]", "", part) for part in parts]
        meant = "".join(digits) if all(len(part) == 3 for part in parts[1:]) else ".".join(digits)  # a decimal comma: 0,80
        if in_list:
            said = f"inside [ ] a comma separates the items, so {typed} is read as the items {' and '.join(parts)}"
        else:
            said = f"inside {{ }} a comma separates the keys, so {typed} is read as {parts[0]} and the key{'s' * (len(parts) > 2)} "
            said += ", ".join(parts[1:])
        self.fail(node, path, f"{said}: write {meant}")

    def _scalar(self, node: Node, path: KeyPath) -> Any:
        tag, value = node.tag, node.value
        if tag in (STR, "!"):
            if bad := UNSAFE_IN_TEXT.search(value):
                return self.fail(
                    node, path, f"text may not hold {_describe_character(bad.group())}: remove it, or the escape that wrote it"
                )
            return value
        if tag == NULL:
            return None
        if not getattr(node, "style", None):  # plain: None from the Python parser, '' from libyaml
            self.written[path] = value
        if tag == BOOL and value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return value[0] in "tT"
        try:
            if tag == INT:
                return int(value)
            if tag == FLOAT:
                return Decimal(value)
            if tag == DATE:
                return date.fromisoformat(value)
        except (ValueError, InvalidOperation):
            expected = {INT: "whole number", FLOAT: "number", DATE: "date (YYYY-MM-DD)"}[tag]
            return self.fail(node, path, f"expected a {expected}, found {found(value)}")
        return self.fail(node, path, f"YAML tags ({tag.replace('tag:yaml.org,2002:', '!!')}) are not allowed")
