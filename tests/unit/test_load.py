"""Bad input of every class gets one located message, never a traceback."""

from __future__ import annotations

import os
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

from dealbrief.deal.load import MAX_BYTES, Document, parse, read
from dealbrief.errors import InvalidDeal


def load(path: Path, file: str = "deals/x.yaml") -> Document:
    return parse(read(path, file), file)


def problems_of(tmp_path: Path, content: str | bytes) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    try:  # a file that cannot be read as YAML is refused whole; a value that cannot be taken is one problem among others
        problems = load(path, "deals/x.yaml").problems
    except InvalidDeal as exc:
        problems = tuple(exc.problems)
    return [str(p) for p in problems]


def data_of(tmp_path: Path, content: str) -> dict:
    path = tmp_path / "x.yaml"
    path.write_text(content, encoding="utf-8")
    return load(path, "deals/x.yaml").data


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", "deals/x.yaml:3:1: a: duplicate key (first written on line 1); keep one"),
        ("a: &x [1]\nb: *x\n", "deals/x.yaml:1:4: invalid YAML: anchors and aliases (&x, *x) are not allowed: write the value out"),
        ("a: &x 1\n", "deals/x.yaml:1:4: invalid YAML: anchors and aliases (&x, *x) are not allowed: write the value out"),
        ("a: 1\n---\nb: 2\n", "deals/x.yaml:2:1: invalid YAML: expected a single document in the stream but found another document"),
        ("a: b\x00c\n", "deals/x.yaml:1:5: invalid YAML: control characters are not allowed"),
        ("\x00a: AT&T\n", "deals/x.yaml:1:1: invalid YAML: special characters are not allowed"),  # found by the fuzz test
        ("a:\n\tb: 1\n", "deals/x.yaml:2:1: invalid YAML: while scanning for the next token found character that cannot start any token"),
        ("a: 2026-02-30\n", "deals/x.yaml:1:4: a: expected a date (YYYY-MM-DD), found text '2026-02-30'"),
        ("a: !!python/object:os.system x\n", "deals/x.yaml:1:4: a: YAML tags (!!python/object:os.system) are not allowed"),
        ("- 1\n", "deals/x.yaml:1:1: expected a mapping of keys (dealbrief:, customer:, …), found a list"),
        ("", "deals/x.yaml:1:1: the file is empty: start from `dealbrief new ID`"),
        ("a: abc\u202edef\n", "deals/x.yaml:1:7: invisible text-direction character U+202E is not allowed"),
        ("1: a\n", "deals/x.yaml:1:1: keys must be plain words, found the number 1"),
        (b"a: ok\nb: \xff\n", "deals/x.yaml:2:4: not valid UTF-8: save the file as UTF-8"),
        ("a: [1, 2\n", "deals/x.yaml:2:1: invalid YAML: while parsing a flow sequence did not find expected ',' or ']'"),
        (
            "a: " + "[" * 5000 + "]" * 5000 + "\n",
            "deals/x.yaml:1:1003: invalid YAML: while increasing flow level exceeded maximum nesting depth",
        ),
        ("a: AT&T\nb: " + "[" * 5000 + "]" * 5000 + "\n", "deals/x.yaml:1:1: nested too deeply; a deal is at most 16 levels deep"),
        (
            "a: " + "[" * 40 + "]" * 40 + "\n",
            "deals/x.yaml:1:20: a" + "[0]" * 16 + ": nested more than 16 levels deep; a deal is never this deep",
        ),
        ("a: " + "9" * 5000 + "\n", "deals/x.yaml:1:4: a: expected a whole number, found text '9999999999999999999999999999999999999…'"),
    ],
    ids=[
        "duplicate-key",
        "alias",
        "anchor",
        "second-document",
        "nul",
        "nul-on-the-checked-path",
        "tab",
        "bad-date",
        "python-tag",
        "not-a-mapping",
        "empty",
        "bidi",
        "non-text-key",
        "bad-utf8",
        "truncated",
        "flow-bomb",
        "recursion-bomb",
        "deep",
        "huge-int",
    ],
)
def test_bad_input_is_located(tmp_path: Path, content: str | bytes, expected: str) -> None:
    assert problems_of(tmp_path, content) == [expected]


def test_billion_laughs_is_refused_not_expanded(tmp_path: Path) -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert problems_of(tmp_path, bomb) == [
        "deals/x.yaml:1:4: invalid YAML: anchors and aliases (&a, *a) are not allowed: write the value out"
    ]


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "a: 1\na: 2\nb: 2026-13-01\n") == [
        "deals/x.yaml:2:1: a: duplicate key (first written on line 1); keep one",
        "deals/x.yaml:3:4: b: expected a date (YYYY-MM-DD), found text '2026-13-01'",
    ]


def test_size_cap(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "a: " + "x" * MAX_BYTES) == [
        f"deals/x.yaml:1:1: file is over {MAX_BYTES:,} bytes, the most a deal file may be"
    ]


def test_a_huge_file_is_refused_after_reading_one_byte_past_the_limit(tmp_path: Path) -> None:
    sparse = tmp_path / "x.yaml"
    with sparse.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GB of holes: nothing on disk, all of it readable
    tracemalloc.start()
    with pytest.raises(InvalidDeal, match="file is over 262,144 bytes"):
        read(sparse, "deals/x.yaml")
    assert tracemalloc.get_traced_memory()[1] < 4 * MAX_BYTES
    tracemalloc.stop()


@pytest.mark.parametrize("kind", ["pipe", "folder", "link"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.yaml"
    if kind == "pipe":
        os.mkfifo(path)  # nobody writes to it: reading it would wait for ever
    elif kind == "folder":
        path.mkdir()
    else:
        (tmp_path / "secret").write_text("customer: SECRET\n")
        path.symlink_to(tmp_path / "secret")
    with pytest.raises(InvalidDeal) as caught:
        read(path, "deals/x.yaml")
    expected = {
        "pipe": "this is a pipe, not a deal file",
        "folder": "this is a folder, not a deal file",
        "link": "deal files may not be symbolic links",
    }[kind]
    assert str(caught.value).startswith(f"deals/x.yaml:1:1: {expected}")


def test_yaml_11_surprises_stay_what_was_typed(tmp_path: Path) -> None:
    data = data_of(tmp_path, "a: NO\nb: 0755\nc: 1e3\nd: 1_000\ne: yes\nf: 0x1F\ng: .inf\nh: on\n")
    assert data == {"a": "NO", "b": "0755", "c": Decimal(1000), "d": "1_000", "e": "yes", "f": "0x1F", "g": ".inf", "h": "on"}


def test_numbers_are_exact_never_float(tmp_path: Path) -> None:
    data = data_of(tmp_path, "a: 0.1\nb: 5496170.11\nc: 3\nd: -2.50\n")
    assert data == {"a": Decimal("0.1"), "b": Decimal("5496170.11"), "c": 3, "d": Decimal("-2.50")}
    assert [type(v) for v in data.values()] == [Decimal, Decimal, int, Decimal]


def test_bom_and_ampersand_text_are_fine(tmp_path: Path) -> None:
    assert data_of(tmp_path, "\ufeffcustomer: 'AT&T <Labs> #1 *not bold*'\n") == {"customer": "AT&T <Labs> #1 *not bold*"}


def test_marks_point_at_each_key(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b: 1\n  c:\n    - x\n    - {d: 2}\n", encoding="utf-8")
    document = load(path)
    assert document.locate(("a", "b")) == (2, 3)
    assert document.locate(("a", "c", 1, "d")) == (5, 8)
    assert document.locate(("a", "missing")) == (1, 1)


def test_a_number_a_flow_mappings_commas_split_is_named_whole(tmp_path: Path) -> None:
    """Thousands separators, a currency sign before them, and a decimal comma: each named at the number, as typed."""
    text = "a: {price: 1,125, b: 2}\nc: [{amount: 1,250,000}]\nd: {e: '1', f: 2,5}\ng: {price: $1,125, rate: 0,80, h: x}\n"
    assert problems_of(tmp_path, text) == [
        "deals/x.yaml:1:12: a.price: inside { } a comma separates the keys, so 1,125 is read as 1 and the key 125: write 1125",
        "deals/x.yaml:2:14: c[0].amount: inside { } a comma separates the keys, so 1,250,000 is read as 1 and the keys 250, 000: "
        "write 1250000",
        "deals/x.yaml:3:16: d.f: inside { } a comma separates the keys, so 2,5 is read as 2 and the key 5: write 2.5",
        "deals/x.yaml:4:12: g.price: inside { } a comma separates the keys, so $1,125 is read as $1 and the key 125: write 1125",
        "deals/x.yaml:4:26: g.rate: inside { } a comma separates the keys, so 0,80 is read as 0 and the key 80: write 0.80",
    ]
