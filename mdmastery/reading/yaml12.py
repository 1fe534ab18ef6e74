"""PyYAML's C loader reading front matter as YAML 1.2 core, safely.

frontmatter.py reads the usual flat front matter itself; this module reads the rest.
It is imported only then: importing PyYAML costs more than a run that parses one
changed note spends parsing it (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

from .yaml_core import RESOLVERS, SCALAR_CONVERTERS, FrontMatterError

# Front matter is small; deeper nesting is hostile (libyaml recurses in C and can crash).
MAX_NESTING = 64
# Aliases share nodes; a document expanding to more values than this is an alias bomb.
MAX_EXPANDED_NODES = 20_000


class Yaml12Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader with YAML 1.2 core scalars, strict dates and no duplicate keys.

    PyYAML's own constructors trust that an explicitly tagged node (`!!bool maybe`,
    `!!set [1]`) has the right shape and fail with KeyError, AttributeError or
    TypeError when it does not; these overrides, and the int, float and bool
    constructors registered below (frontmatter's conversions), check first and raise
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
for _tag, _regexp, _first in RESOLVERS:
    Yaml12Loader.add_implicit_resolver(_tag, _regexp, list(_first))


def _checked(convert: Callable[[str], Any]) -> Callable[[Yaml12Loader, ScalarNode], Any]:
    """A constructor reading a scalar with one of frontmatter's conversions."""
    def construct(loader: Yaml12Loader, node: ScalarNode) -> Any:
        try:
            return convert(str(loader.construct_scalar(node)))
        except ValueError as error:
            raise ConstructorError(None, None, str(error), node.start_mark) from None
    return construct


for _tag, _convert in SCALAR_CONVERTERS.items():
    Yaml12Loader.add_constructor(_tag, _checked(_convert))
Yaml12Loader.add_constructor("tag:yaml.org,2002:timestamp",
                             Yaml12Loader.construct_yaml_timestamp)


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


def load_yaml(front: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Read any front matter into a mapping and the line of each top-level key (see
    frontmatter.load, which tries its fast path first)."""
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
