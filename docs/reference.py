"""The reference pages' Markdown, generated from the code at build time: nothing here is written by hand twice.

- the deal format from the pydantic model's JSON Schema (``dealbrief.deal.model.Deal``),
- the rules from the registry (``dealbrief.engine.lint.RULES``),
- the command line from its argparse parser (``dealbrief.cli.parser()``),
- ``dealbrief.toml`` from its pydantic model (``dealbrief.engine.config``).

Plain functions returning Markdown, tested without MkDocs (``tests/unit/test_docs_reference.py``); ``docs/hooks.py``
puts them into the pages that ask for them with ``<!-- reference: NAME -->``.  Run it to see one:
``python docs/reference.py rules``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any


def _cell(text: object) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: object) -> str:
    return f"`{text}`"


# --- the deal format -------------------------------------------------------------------------------------------------


def _anchor(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def _bounds(schema: dict[str, Any]) -> str:
    said = []
    for key, sign in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in schema:
            said.append(f"{sign} {schema[key]}")
    return " " + ", ".join(said) if said else ""


def _type(schema: dict[str, Any], path: str) -> str:
    """A schema's type as a reader says it; objects link to their own table."""
    if "$ref" in schema:
        return f"[object](#{_anchor(path)})"
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return " or ".join(_type(s, path) for s in options)
    if "const" in schema:
        return _code(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(_code(v) for v in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):  # text that may be typed as a number or true/false (read as the text typed)
        kind = kind[0]
    if kind == "array":
        items = schema.get("items", {})
        count = ""
        if "minItems" in schema or "maxItems" in schema:
            count = f" ({schema.get('minItems', 0)}–{schema['maxItems']})" if "maxItems" in schema else f" (at least {schema['minItems']})"
        if "$ref" in items:
            return f"list of [objects](#{_anchor(path + '[]')}){count}"
        return f"list of {_type(items, path)}{count}"
    if kind == "object":
        if "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
            return f"map of text to {_type(schema['additionalProperties'], path)}"
        return "object"
    if kind == "string":
        if schema.get("format") == "date":
            return "date (YYYY-MM-DD)"
        if "pattern" in schema:
            return f"text matching `{schema['pattern']}`"
        return "text"
    if kind in ("number", "integer"):
        return ("whole number" if kind == "integer" else "number") + _bounds(schema)
    if kind == "boolean":
        return "`true` or `false`"
    return "any"


def _ref(schema: dict[str, Any]) -> str | None:
    """The definition an object-valued key points to, through optional and list wrappers."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, []):
            if found := _ref(option):
                return found
    if schema.get("type") == "array":
        return _ref(schema.get("items", {}))
    return None


def _is_list(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "array" and "$ref" in o.get("items", {}) for o in options)


def _default(schema: dict[str, Any]) -> str:
    if "default" not in schema:
        return ""
    value = schema["default"]
    if value is None or value == [] or value == {}:
        return ""
    return _code(str(value).lower() if isinstance(value, bool) else value)


def _sections(schema: dict[str, Any], definitions: dict[str, Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object of the format, depth first, with its key path (``costs.units``, ``poc.results[]``)."""
    yield path, schema
    for key, prop in schema.get("properties", {}).items():
        name = _ref(prop)
        if name:
            child = f"{path}.{key}" if path else key
            yield from _sections(definitions[name], definitions, child + ("[]" if _is_list(prop) else ""))


def deal_format(schema: dict[str, Any] | None = None) -> str:
    """One table per object of the deal format: each key, its type, whether it is required or its default, and what it is."""
    if schema is None:
        from dealbrief.deal.model import json_schema

        schema = json_schema()
    definitions = schema.get("$defs", {})
    out = []
    for path, section in _sections(schema, definitions, ""):
        title = path or "The deal file"
        out.append(f"### {_code(path) if path else title} {{#{_anchor(path) or 'deal'}}}\n")
        if section.get("description"):
            out.append(_block(section["description"]) + "\n")
        out.append("| key | type | required / default | what |\n|---|---|---|---|")
        required = set(section.get("required", ()))
        for key, prop in section.get("properties", {}).items():
            child = f"{path}.{key}" if path else key
            need = "**required**" if key in required else _default(prop)
            out.append(f"| `{key}` | {_cell(_type(prop, child))} | {need} | {_cell(prop.get('description', ''))} |")
        out.append("")
    return "\n".join(out)


def _block(docstring: str) -> str:
    """A pydantic class docstring (reStructuredText's ``code``) as Markdown."""
    return docstring.replace("``", "`").strip()


# --- the rules --------------------------------------------------------------------------------------------------------


def _rule_items(rule: Any) -> dict[str, str]:
    """What the registry says of a rule: its summary, phase, default severity and rationale (each where it has one)."""
    said = {"summary": rule.summary}
    for name in ("phase", "severity", "rationale"):
        value = getattr(rule, name, None)
        if value:
            said[name] = str(value)
    return said


def _examples(rule: Any) -> list[tuple[str, str]]:
    """A rule's examples, if the registry has them: ``examples`` (a mapping or pairs), or ``passing`` and ``failing``."""
    found = getattr(rule, "examples", None)
    pairs: list[tuple[str, str]] = []
    if isinstance(found, dict):
        pairs = [(str(k), str(v)) for k, v in found.items()]
    elif found:
        for item in found:
            if isinstance(item, tuple | list) and len(item) == 2:
                pairs.append((str(item[0]), str(item[1])))
            else:
                pairs.append(("Example", str(item)))
    for name in ("failing", "passing"):
        value = getattr(rule, name, None)
        if value:
            pairs.append((f"{name.capitalize()} example", str(value)))
    return pairs


def _rule_anchor(rule: Any) -> str:
    return str(rule.code or rule.slug).lower()


def rules(registry: list[Any] | None = None) -> str:
    """The rules table, then a section per rule: its summary, the question it asks, its severity and why, when known."""
    if registry is None:
        from dealbrief.engine.lint import RULES

        registry = list(RULES)
    ordered = list(registry)  # in the registry's order: by code, then the format's checks that have none, by slug
    out = ["| code | slug | phase | severity | asks | what it finds |", "|---|---|---|---|---|---|"]
    for r in ordered:
        asks = _code(r.question) if r.question else ""
        severity = _rule_items(r).get("severity", "")
        phase = getattr(r, "phase", "lint")
        out.append(f"| [{r.code or '—'}](#{_rule_anchor(r)}) | `{r.slug}` | {phase} | {_cell(severity)} | {asks} | {_cell(r.summary)} |")
    out.append("")
    for r in ordered:
        out.append(f"### {r.code + ' ' if r.code else ''}`{r.slug}` {{#{_rule_anchor(r)}}}\n")
        items = _rule_items(r)
        out.append(items.pop("summary") + "\n")
        if r.question:
            out.append(
                f"Asks the handoff question `{r.question}`: answer it in `handoff.answers.{r.question}`. "
                "While it is open (or its answer is stale) it is also a finding of severity `question`.\n"
            )
        for name, value in items.items():
            out.append(f"**{name.capitalize()}**: {value}\n")
        for title, example in _examples(r):
            out.append(f"**{title}**:\n\n```yaml\n{example.rstrip()}\n```\n")
    return "\n".join(out)


# --- the command line -------------------------------------------------------------------------------------------------


def _usage(parser: argparse.ArgumentParser) -> str:
    return " ".join(parser.format_usage().replace("usage:", "", 1).split())


def _option(action: argparse.Action) -> str:
    if action.option_strings:
        names = ", ".join(action.option_strings)
        if action.nargs == 0:
            return _code(names)
        metavar = action.metavar or ("{" + ",".join(map(str, action.choices)) + "}" if action.choices else action.dest.upper())
        return _code(f"{names} {metavar}")
    return _code(action.metavar or action.dest)


def cli(parser: argparse.ArgumentParser | None = None) -> str:
    """Each command: its usage, what it does, and its arguments and options, from the parser ``dealbrief`` runs."""
    if parser is None:
        from dealbrief.cli import parser as make

        parser = make()
    out = [_cell(parser.description or "") + "\n", f"```text\n{_usage(parser)}\n```\n"]
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {c.dest: c.help for c in commands._choices_actions}
    for name, command in commands.choices.items():
        out.append(f"### dealbrief {name}\n")
        out.append(f"```text\n{_usage(command)}\n```\n")
        out.append((command.description or helps.get(name) or "") + "\n")
        rows = [a for a in command._actions if not isinstance(a, argparse._HelpAction)]
        if rows:
            out.append("| argument | what |\n|---|---|")
            for action in rows:
                out.append(f"| {_cell(_option(action))} | {_cell(action.help or '')} |")
            out.append("")
    return "\n".join(out)


# --- dealbrief.toml ---------------------------------------------------------------------------------------------------


def _comments(docstring: str) -> dict[str, str]:
    """``key = value   # what it does`` lines of the settings module's example, by key."""
    said = {}
    for line in docstring.splitlines():
        match = re.match(r"\s*([a-z_]+)\s*=.*?#\s*(.+)$", line)
        if match:
            said[match[1]] = match[2].strip()
    return said


def _annotation(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    text = text or str(annotation)
    return text.replace("typing.", "").replace("NoneType", "None")


def _limit(metadata: Any) -> str:
    for name, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
        if getattr(metadata, name, None) is not None:
            return f"{sign} {getattr(metadata, name)}"
    return str(metadata)


def configuration() -> str:
    """Each table and key of ``dealbrief.toml``, from the model that reads it, with the module's own example."""
    from dealbrief.engine import config

    doc = config.__doc__ or ""
    notes = _comments(doc)
    model = config._File  # the whole file, as the loader validates it
    out = []
    example = re.search(r"```toml\n(.*?)```", doc, re.S)
    for table, field in model.model_fields.items():
        section = field.annotation
        out.append(f"### `[{table}]`\n")
        out.append("| key | type | default | what |\n|---|---|---|---|")
        for key, sub in section.model_fields.items():  # type: ignore[union-attr]
            default = sub.default_factory() if sub.default_factory else sub.default  # type: ignore[call-arg]
            shown = "none" if default in (None, [], {}) else _code(default)
            if isinstance(default, list) and len(default) > 6:
                shown = f"{len(default)} words: " + ", ".join(_code(w) for w in default)
            limits = ", ".join(_limit(m) for m in sub.metadata)
            kind = _annotation(sub.annotation) + (f" ({limits})" if limits else "")
            out.append(f"| `{key}` | {_cell(kind)} | {_cell(shown)} | {_cell(notes.get(key, ''))} |")
        out.append("")
    if example:
        out.insert(0, f"```toml\n{example[1]}```\n")
    return "\n".join(out)


PAGES: dict[str, Callable[[], str]] = {"deal-format": deal_format, "rules": rules, "cli": cli, "configuration": configuration}


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in PAGES:
        sys.exit(f"usage: python docs/reference.py {{{','.join(PAGES)}}}")
    print(PAGES[sys.argv[1]]())
