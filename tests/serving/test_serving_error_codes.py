"""Every error code is a member of one enum (cms/errors.py ErrorCode) and has one row in one
table giving its HTTP status and ``extensions.code``; the server's code spells no code
itself. The reader site (cms/site/) and the studio (cms/studio/) are left out: they are
clients of the API and read codes off GraphQL responses, as any client does."""

import ast
from pathlib import Path

from cms.errors import ERROR_RESPONSES, ErrorCode

REPO = Path(__file__).resolve().parents[2]
SERVER_CODE = [REPO / "schema", REPO / "cms"]
NOT_SERVER_CODE = [REPO / "cms" / "site", REPO / "cms" / "studio"]
THE_TABLE = REPO / "cms" / "errors.py"
CODES = {code.value for code in ErrorCode} | {row.code for row in ERROR_RESPONSES.values()}


def server_modules() -> list[Path]:
    return sorted(
        path
        for root in SERVER_CODE
        for path in root.rglob("*.py")
        if path != THE_TABLE and not any(path.is_relative_to(other) for other in NOT_SERVER_CODE)
    )


def spelled_codes(path: Path) -> list[str]:
    """Literals that spell an error code: a code itself, a ``"code"`` key of a dict
    display, or JSON with a code in it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            text = node.value.decode() if isinstance(node.value, bytes) else node.value
            if text in CODES or '"code":' in text.replace(" ", ""):
                found.append(f"{path.name}:{node.lineno}: {text!r}")
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                # A set of attribute names is HTML's <code> element (the sanitiser's rules).
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "code"
                    and not isinstance(value, ast.Set)
                ):
                    found.append(f"{path.name}:{key.lineno}: a 'code' key")
    return found


def test_every_code_has_its_status_and_extensions_code_in_the_table():
    assert set(ERROR_RESPONSES) == set(ErrorCode)
    assert all(100 <= row.status < 600 for row in ERROR_RESPONSES.values())


def test_clients_read_each_code_as_the_enum_names_it():
    assert {code: row.code for code, row in ERROR_RESPONSES.items()} == {
        code: code.value for code in ErrorCode
    }


def test_no_server_module_spells_an_error_code():
    spelled = {str(path.relative_to(REPO)): spelled_codes(path) for path in server_modules()}
    assert {module: found for module, found in spelled.items() if found} == {}


def test_the_check_sees_a_spelled_code(tmp_path):
    """Not vacuous: each way of spelling a code is found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'A = "FORBIDDEN"\nB = {"code": x}\nC = b\'{"extensions":{"code":"X"}}\'\n',
        encoding="utf-8",
    )
    assert len(spelled_codes(sample)) == 3
