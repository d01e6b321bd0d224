"""schema/ could run behind any transport: none of its modules imports Starlette, another
HTTP library or the serving layer (cms/serving/) — neither directly nor through the project
modules it imports. Checked on the source (ast), so a lazy import inside a function counts."""

import ast
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HTTP_OR_SERVING = ("starlette", "cross_web", "uvicorn", "cms.serving")
PROJECT_PACKAGES = ("cms", "schema", "seed")


def is_http_or_serving(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in HTTP_OR_SERVING)


def source_of(module: str) -> Path | None:
    """The file of a project module (None for anything else)."""
    if module.split(".")[0] not in PROJECT_PACKAGES:
        return None
    base = REPO.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module the file imports, anywhere in it (``from a import b`` also names
    ``a.b``, which may be a module)."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            anchor = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*anchor, *([node.module] if node.module else [])])
            imported.add(base)
            imported.update(f"{base}.{alias.name}" for alias in node.names)
    return imported


def schema_modules() -> list[Path]:
    return sorted((REPO / "schema").rglob("*.py"))


def test_no_schema_module_imports_http_or_serving_code():
    offenders = {
        module_name(path): sorted(filter(is_http_or_serving, imports_of(path)))
        for path in schema_modules()
    }
    assert {module: found for module, found in offenders.items() if found} == {}


def test_nor_does_any_project_module_schema_imports():
    """Followed through cms/ and seed/: importing schema must not load the HTTP layer."""
    seen = {module_name(path): path for path in schema_modules()}
    routes: dict[str, str] = {module: module for module in seen}
    queue = deque(seen)
    reached: dict[str, str] = {}
    while queue:
        module = queue.popleft()
        for imported in imports_of(seen[module]):
            if is_http_or_serving(imported):
                reached[imported] = routes[module]
                continue
            path = source_of(imported)
            if path is not None and imported not in seen:
                seen[imported] = path
                routes[imported] = f"{routes[module]} -> {imported}"
                queue.append(imported)
    assert reached == {}


def test_the_check_sees_an_import_of_starlette_or_of_the_serving_layer():
    """The checks above are not vacuous: the GraphQL view imports both."""
    imported = imports_of(REPO / "cms" / "serving" / "graphql_view.py")
    assert {"starlette.requests", "cms.serving.cache_policy"} <= imported
    assert is_http_or_serving("starlette.requests")
    assert is_http_or_serving("cms.serving.cache_policy")
    assert not is_http_or_serving("cms.services.auth")
