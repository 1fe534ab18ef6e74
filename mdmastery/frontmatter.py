"""Split a note's front matter from its body and read it as YAML 1.2 core.

python-frontmatter is not used for the split: it strips the whole text (a BOM
then hides the metadata), turns non-mapping front matter into `{}`, and its
loader gives YAML 1.1 meanings (`yes` -> True, `10:45` -> 645). We split on the
`---` lines ourselves and read the block with a loader of our own, built on
PyYAML's C loader when it is available.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

# Front matter is small; deeper nesting is hostile (libyaml recurses in C and can crash).
MAX_NESTING = 64
# Aliases share nodes; a document expanding to more values than this is an alias bomb.
MAX_EXPANDED_NODES = 20_000


class FrontMatterError(ValueError):
    """Front matter that cannot be read; line is 1-based within the note."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Yaml12Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader with YAML 1.2 core scalars, strict dates and no duplicate keys.

    PyYAML's own constructors trust that an explicitly tagged node (`!!bool maybe`,
    `!!set [1]`) has the right shape and fail with KeyError, AttributeError or
    TypeError when it does not; these overrides check first and raise
    ConstructorError, so hostile front matter is an error with a line, not a crash.
    """

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping, but found "
                                   f"{type(node).__name__.removesuffix('Node').lower()}",
                                   node.start_mark)
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise ConstructorError("while reading a mapping", node.start_mark,
                                           f"duplicate key {key_node.value!r}",
                                           key_node.start_mark)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def construct_yaml_int(self, node: ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        try:
            return int(text, 0)
        except ValueError:
            # Also the digit limit of int(): a 5,000-digit "number" is not one.
            raise ConstructorError(None, None, f"{text[:40]!r} is not an integer",
                                   node.start_mark) from None

    def construct_yaml_float(self, node: ScalarNode) -> float:
        text = str(self.construct_scalar(node)).lower()
        if text.endswith("inf"):
            return float("-inf") if text.startswith("-") else float("inf")
        try:
            return float(text)
        except ValueError:
            raise ConstructorError(None, None, f"{text[:40]!r} is not a number",
                                   node.start_mark) from None

    def construct_yaml_bool(self, node: ScalarNode) -> bool:
        text = str(self.construct_scalar(node))
        if text.lower() not in ("true", "false"):
            raise ConstructorError(None, None, f"{text[:40]!r} is not true or false",
                                   node.start_mark)
        return text.lower() == "true"

    def construct_yaml_timestamp(self, node: ScalarNode) -> date | datetime:
        if self.timestamp_regexp.match(str(self.construct_scalar(node))) is None:
            raise ConstructorError(None, None, f"invalid date {node.value!r}",
                                   node.start_mark)
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[no-any-return]
        except ValueError as error:
            raise ConstructorError(None, None, f"invalid date {node.value!r} ({error})",
                                   node.start_mark) from None


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    # No leading zeros: `012345` is a code, not the number 12345.
    ("int", r"[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    # A fraction ending in 0 (`3.10`) is a version-like string; numeric fields still
    # accept it, since they parse strings as numbers.
    ("float", r"[-+]?(?:\.[0-9]*[1-9]|(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?)"
              r"(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
     "-+0123456789."),
    ("timestamp", r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
                  r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
                  r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?",
     "0123456789"),
    ("merge", r"<<", "<"),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}",
                                       re.compile(rf"^(?:{_pattern})$"), list(_first))
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", Yaml12Loader.construct_yaml_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", Yaml12Loader.construct_yaml_float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", Yaml12Loader.construct_yaml_bool)
Yaml12Loader.add_constructor("tag:yaml.org,2002:timestamp",
                             Yaml12Loader.construct_yaml_timestamp)


@dataclass(frozen=True, slots=True)
class Split:
    """A note's text cut into front matter and body."""

    front: str | None  # the YAML text between the fences, None when there is none
    body: str
    body_line: int  # the 1-based line of the note where the body starts
    warning: str | None = None  # why the opening fence was not taken as front matter


_FENCE = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split(text: str) -> Split:
    """Cut text (LF line endings, no BOM) into front matter and body."""
    if text.startswith("+++") and text[3:4] in ("\n", " ", "\t", ""):
        end = re.search(r"^\+\+\+[ \t]*$", text[3:], re.M)
        if end is not None:
            rest = text[3 + end.end():]
            rest = rest[1:] if rest.startswith("\n") else rest
            line = text.count("\n", 0, len(text) - len(rest)) + 1
            return Split(None, rest, line, "TOML front matter (+++) is not read; skipped")
    if not _FENCE.match(text):
        return Split(None, text, 1)
    start = text.index("\n") + 1
    close = _CLOSE.search(text, start)
    if close is None:
        return Split(None, text, 1, "front matter has no closing '---'; read as body")
    front = text[start:close.start()]
    after = close.end()
    if text.startswith("\n", after):
        after += 1
    return Split(front, text[after:], text.count("\n", 0, after) + 1)


# Every nested collection needs an indicator character of its own (`[`, `{`, `-`,
# `?` or `:`), so text with few of them cannot nest deeply.
_NESTING_INDICATORS = "[{-?:"


def _nesting_too_deep(text: str) -> int | None:
    """Return the 0-based line where collections nest past MAX_NESTING, if they do.

    libyaml's composer recurses in C and crashes the interpreter at some 50,000
    levels, so the depth is measured beforehand on the parser's event stream,
    which uses no recursion and stops at the first level too deep.
    """
    if sum(text.count(char) for char in _NESTING_INDICATORS) <= MAX_NESTING:
        return None
    loader = _BaseLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    mark = event.start_mark
                    return int(mark.line) if mark is not None else 0
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        # The composer stops at the same event with this error, no deeper than here.
        return None
    finally:
        loader.dispose()
    return None


def _check_expansion(node: Node) -> None:
    """Raise FrontMatterError-worthy ValueError if aliases expand too far or loop."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    # Iterative post-order walk: aliases share node objects, so memoise by identity.
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        ident = id(current)
        if done:
            active.discard(ident)
            total = 1
            if isinstance(current, SequenceNode):
                total += sum(sizes[id(child)] for child in current.value)
            elif isinstance(current, MappingNode):
                total += sum(sizes[id(k)] + sizes[id(v)] for k, v in current.value)
            if total > MAX_EXPANDED_NODES:
                raise ValueError("front matter expands to too many values (YAML aliases)")
            sizes[ident] = total
            continue
        if ident in sizes:
            continue
        if ident in active:
            raise ValueError("front matter refers to itself (recursive YAML alias)")
        active.add(ident)
        stack.append((current, True))
        if isinstance(current, SequenceNode):
            stack.extend((child, False) for child in current.value if id(child) not in sizes)
        elif isinstance(current, MappingNode):
            for key, value in current.value:
                stack.extend((n, False) for n in (key, value) if id(n) not in sizes)


def _hint(problem: str, front: str, line: int) -> str:
    """Return advice for the YAML mistakes people make most in front matter."""
    lines = front.split("\n")
    text = lines[line] if 0 <= line < len(lines) else ""
    if "\t" in text and ("tab" in problem or "cannot start any token" in problem):
        return " (a tab: YAML indents with spaces only)"
    if "mapping values are not allowed" in problem:
        return " (a value holding ': ' must be quoted: title: \"Re: hi\")"
    if "could not determine a constructor" in problem:
        return " (only plain YAML is read; tags like !!python/... are refused)"
    return ""


def _describe(data: Any) -> str:
    """Name what a front matter block holds instead of a mapping."""
    if isinstance(data, list | tuple):
        return "a list"
    if data is None:
        return "null"
    if isinstance(data, str):
        return f"the text {data[:40]!r}"
    if isinstance(data, bool | int | float):
        return f"the value {data!r}"
    return f"a {type(data).__name__}"


def load(front: str, first_line: int = 2) -> tuple[dict[str, Any], dict[str, int]]:
    """Read front matter YAML into a mapping and the line of each top-level key.

    first_line is the note's line number of the YAML's first line. Raises
    FrontMatterError with a line number for anything that is not a readable mapping.
    """
    deep = _nesting_too_deep(front)
    if deep is not None:
        raise FrontMatterError(f"front matter nests deeper than {MAX_NESTING} levels",
                               first_line + deep)
    loader = Yaml12Loader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if "*" in front:  # no alias without an asterisk
            _check_expansion(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark is not None else 0)
        problem = error.problem or error.context or "invalid YAML"
        hint = _hint(problem, front, mark.line if mark is not None else 0)
        raise FrontMatterError(f"front matter is not valid YAML: {problem}{hint}",
                               line) from None
    except yaml.YAMLError as error:
        raise FrontMatterError(f"front matter is not valid YAML: {error}", first_line) from None
    except ValueError as error:
        raise FrontMatterError(str(error), first_line) from None
    except RecursionError:
        raise FrontMatterError("front matter nests too deeply", first_line) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise FrontMatterError(f"front matter must be a mapping (key: value lines), "
                               f"not {_describe(data)}", first_line)
    lines: dict[str, int] = {}
    if isinstance(node, MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                lines.setdefault(str(key_node.value), first_line + key_node.start_mark.line)
    return {str(k): v for k, v in data.items()}, lines
