"""Imports point one way, over every module of the project (DESIGN.md, "Layers and
dependency direction"):

    wiring (cli, web, bootstrap) -> platforms -> commands / workflows / language
        -> storage / scheduler -> shared types

Every module is read with :mod:`ast`, so an import inside a function or under
``TYPE_CHECKING`` counts as much as one at the top. A module belongs to the most specific
*part* that names it (``scheduler.timeutil`` before ``scheduler``); a part belongs to a
layer. An import may point down or sideways within its layer, never up, and the parts may
not import each other in a circle (nor may two modules).

``KNOWN`` lists what is still wrong today, each by name. It may only shrink: an entry that
no longer happens fails too, so it is removed when it is fixed.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Layer:
    name: str
    parts: tuple[str, ...]


# top to bottom
LAYERS: tuple[Layer, ...] = (
    Layer("wiring", ("bot.cli", "bot.web", "bot.bootstrap", "bot.calendar_feeds", "bot.status")),
    Layer("platforms", ("bot.platforms",)),
    Layer("core", ("bot.router", "bot.actions", "bot.commands", "bot.workflows", "bot.context", "bot.language",
                   "bot.knowledge", "bot.board_kinds", "bot.default_ladder", "bot.identity", "bot.administration", "bot.notify", "bot.services", "bot.config",
                   "bot.tenancy", "bot.reports", "bot.review", "bot.readiness", "bot.home", "drafting")),
    Layer("services", ("scheduler", "storage")),
    # bot.limits, bot.safetext, bot.markdown_text and bot.recently import nothing of the project: the shared
    # types (messages) and every layer's caches read them
    Layer("shared", ("bot.messages", "bot.limits", "bot.safetext", "bot.markdown_text", "bot.recently", "scheduler.timeutil",
                     "scheduler.workdays")),
)

# What is still wrong, each named; fixed ones must be removed (the list only shrinks).
KNOWN: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    in_function: bool

    def where(self) -> str:
        return f"line {self.line}{', in a function' if self.in_function else ''}"


def project_packages(root: Path) -> list[str]:
    """The top-level packages: every folder beside ``tests`` with an ``__init__.py``."""
    return sorted(p.parent.name for p in root.glob("*/__init__.py")
                  if p.parent.name not in ("tests", "benchmarks", "scripts", "docs"))


def modules(root: Path, packages: Iterable[str] | None = None) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for pkg in packages if packages is not None else project_packages(root):
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def imports(mods: Mapping[str, Path]) -> list[Import]:
    """Every import of one project module by another, wherever it stands in the file."""
    found: list[Import] = []
    for module, path in mods.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found.extend(_imports_in(tree, module, package, mods, in_function=False))
    return found


def _resolve(name: str, mods: Mapping[str, Path]) -> str | None:
    while name and name not in mods:
        name = name.rpartition(".")[0]
    return name or None


def _imports_in(node: ast.AST, module: str, package: str, mods: Mapping[str, Path], *, in_function: bool) -> Iterable[Import]:
    for child in ast.iter_child_nodes(node):
        targets: list[str] = []
        if isinstance(child, ast.Import):
            targets = [a.name for a in child.names]
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                up = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                base = ".".join([*up, base] if base else up)
            # "from pkg import name" names the module pkg.name when there is one
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in child.names]
        for t in targets:
            target = _resolve(t, mods)
            if target and target != module:
                yield Import(module, target, child.lineno, in_function)
        inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from _imports_in(child, module, package, mods, in_function=inner)


def part_of(module: str, layers: Iterable[Layer] = LAYERS) -> tuple[int, str] | None:
    """(layer index, part) of the most specific part naming ``module``."""
    best: tuple[int, str] | None = None
    for i, layer in enumerate(layers):
        for part in layer.parts:
            if (module == part or module.startswith(part + ".")) and (best is None or len(part) > len(best[1])):
                best = (i, part)
    return best


def unplaced(mods: Iterable[str], layers: tuple[Layer, ...] = LAYERS) -> list[str]:
    """Modules in no layer (a top-level package itself, ``bot``, needs none)."""
    return sorted(m for m in mods if part_of(m, layers) is None and "." in m)


def wrong_way(found: Iterable[Import], layers: tuple[Layer, ...] = LAYERS) -> dict[str, str]:
    """``{"a -> b": why}`` for every import that points up."""
    out: dict[str, str] = {}
    for imp in found:
        src, dst = part_of(imp.source, layers), part_of(imp.target, layers)
        if src is None or dst is None or dst[0] >= src[0]:
            continue
        key = f"{imp.source} -> {imp.target}"
        out.setdefault(key, f"{key} ({imp.where()}): {src[1]} ({layers[src[0]].name}) may not import "
                            f"{dst[1]} ({layers[dst[0]].name}), which is above it")
    return out


def _strongly_connected(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of nodes that reach each other (only groups of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return groups


def cycles(found: Iterable[Import], layers: tuple[Layer, ...] = LAYERS) -> dict[str, str]:
    """``{"cycle: a, b": how}`` for parts, and for modules, that import each other in a circle."""
    found = list(found)
    parts: dict[str, set[str]] = {}
    mods: dict[str, set[str]] = {}
    via: dict[tuple[str, str], Import] = {}
    for imp in found:
        mods.setdefault(imp.source, set()).add(imp.target)
        via.setdefault((imp.source, imp.target), imp)
        src, dst = part_of(imp.source, layers), part_of(imp.target, layers)
        if src and dst and src[1] != dst[1]:
            parts.setdefault(src[1], set()).add(dst[1])
    out: dict[str, str] = {}
    for group in _strongly_connected(parts):
        out[f"cycle: {', '.join(group)}"] = "these parts import each other: " + "; ".join(
            f"{i.source} -> {i.target} ({i.where()})" for i in found
            if (s := part_of(i.source, layers)) and (d := part_of(i.target, layers))
            and s[1] in group and d[1] in group and s[1] != d[1])
    for group in _strongly_connected(mods):
        members = set(group)
        out[f"cycle: {', '.join(group)}"] = "these modules import each other: " + "; ".join(
            f"{a} -> {b} ({via[(a, b)].where()})" for a in group for b in sorted(mods[a] & members))
    return out


def problems(root: Path, layers: tuple[Layer, ...] = LAYERS, packages: Iterable[str] | None = None) -> dict[str, str]:
    mods = modules(root, packages)
    found = imports(mods)
    out = {f"unplaced: {m}": f"{m} is in no layer: add it to LAYERS" for m in unplaced(mods, layers)}
    out.update(wrong_way(found, layers))
    out.update(cycles(found, layers))
    return out


# --- the project ---------------------------------------------------------------------------------


def test_every_module_of_the_project_is_in_a_layer() -> None:
    mods = modules(ROOT)
    assert {"bot.router", "storage.models", "scheduler.outbox", "bot.platforms.slack"} <= set(mods)
    assert unplaced(mods) == []


@pytest.fixture(scope="module")
def found() -> dict[str, str]:
    return problems(ROOT)


def test_imports_point_down_and_never_in_a_circle(found: dict[str, str]) -> None:
    new = {k: v for k, v in found.items() if k not in KNOWN}
    assert not new, "imports against the layers:\n" + "\n".join(new.values())


def test_the_list_of_known_problems_only_shrinks(found: dict[str, str]) -> None:
    fixed = sorted(KNOWN - set(found))
    assert not fixed, "fixed, so remove from KNOWN: " + "; ".join(fixed)


# --- the check itself ------------------------------------------------------------------------------


def _write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


TOY = (Layer("top", ("app.ui",)), Layer("middle", ("app.core", "app.extra")), Layer("bottom", ("base",)))


def test_the_check_finds_wrong_way_imports_wherever_they_stand(tmp_path: Path) -> None:
    _write(tmp_path, {
        "app/__init__.py": "",
        "app/ui/__init__.py": "from app.core import rules\n",
        "app/core/__init__.py": "",
        "app/core/rules.py": "from base import types\n\ndef later():\n    from ..ui import screen\n",
        "app/ui/screen.py": "",
        "base/__init__.py": "",
        "base/types.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.core.rules import later\n",
    })
    found = problems(tmp_path, TOY, ["app", "base"])
    assert {k for k in found if not k.startswith("cycle")} == {"app.core.rules -> app.ui.screen", "base.types -> app.core.rules"}
    assert "line 4, in a function" in found["app.core.rules -> app.ui.screen"]
    assert "app.core (middle) may not import app.ui (top)" in found["app.core.rules -> app.ui.screen"]


def test_the_check_finds_parts_and_modules_in_a_circle(tmp_path: Path) -> None:
    _write(tmp_path, {
        "app/__init__.py": "",
        "app/core/__init__.py": "",
        "app/core/a.py": "def f():\n    import app.extra.b\n",
        "app/extra/__init__.py": "",
        "app/extra/b.py": "from app.core import a\n",
        "app/extra/c.py": "from . import d\n",
        "app/extra/d.py": "from .c import x\n",
    })
    found = problems(tmp_path, (Layer("all", ("app",)), *TOY), ["app"])
    assert set(found) == {"cycle: app.core, app.extra", "cycle: app.core.a, app.extra.b", "cycle: app.extra.c, app.extra.d"}


def test_a_wrong_way_import_added_to_the_project_fails_the_check(tmp_path: Path, found: dict[str, str]) -> None:
    """The real tree, copied, with one import added inside a function of the scheduler."""
    for pkg in project_packages(ROOT):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.yaml", "data", "*.png"))
    before = set(found)
    rules = tmp_path / "scheduler" / "rules.py"
    rules.write_text(rules.read_text() + "\n\ndef _sneaky():\n    from bot.platforms import console\n")
    after = problems(tmp_path)
    assert "scheduler.rules -> bot.platforms.console" in set(after) - before
    assert "scheduler (services) may not import bot.platforms (platforms)" in after["scheduler.rules -> bot.platforms.console"]


@pytest.mark.parametrize("part", sorted({p for layer in LAYERS for p in layer.parts}))
def test_every_part_named_in_the_layers_is_spelt_right(part: str) -> None:
    """A part not (yet) in the tree is allowed only for the modules other work is adding."""
    mods = modules(ROOT)
    if part in ("bot.safetext", "bot.limits", "bot.tenancy"):
        return
    assert any(m == part or m.startswith(part + ".") for m in mods), f"{part} names no module"
