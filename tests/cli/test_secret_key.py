"""The site's secret has no public default: an attacker who knows the code cannot sign a
preview link; development generates and keeps one, production refuses to start without one."""

import logging
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from editorial_support import Editor
from itsdangerous import URLSafeSerializer

from cms.app import create_app
from cms.config import Settings
from cms.secret_key import MissingSecretKey, signing_key
from cms.services.preview import SALT
from schema.relay import decode_id

# The secret the code shipped with (and the Dockerfile and docker-compose ran with).
OLD_PUBLIC_DEFAULT = "dev-insecure-change-me"
PREVIEW = "query ($token: String!) { preview(previewToken: $token) { title pageId } }"
REPO = Path(__file__).resolve().parents[2]
CMS = Path(sys.executable).with_name("cms")


def forged_preview_token(secret: str, page_id: int) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps({"page": page_id, "exp": time.time() + 600})


async def test_a_preview_token_signed_with_the_old_public_default_is_refused(gql, editor_token):
    page = await Editor(gql, editor_token).create_page("plans", "Secret plans")
    page_pk = decode_id(page["id"], "Page", "id")

    body = await gql(PREVIEW, {"token": forged_preview_token(OLD_PUBLIC_DEFAULT, page_pk)})

    assert body["data"]["preview"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_development_generates_a_secret_once_keeps_it_private_and_warns(tmp_path, caplog):
    settings = Settings(database_url=f"sqlite://{tmp_path / 'cms.sqlite3'}", secret_key_file=None)

    with caplog.at_level(logging.WARNING, logger="cms.secret_key"):
        create_app(settings, manage_database=False)
    kept = tmp_path / "cms-secret-key"
    first = kept.read_text().strip()
    create_app(settings, manage_database=False)

    assert len(first) >= 32 and first != OLD_PUBLIC_DEFAULT
    assert kept.read_text().strip() == first == signing_key(settings)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert any("CMS_SECRET_KEY is not set" in r.getMessage() for r in caplog.records)


def test_two_sites_without_a_secret_do_not_share_one(tmp_path):
    one = Settings(secret_key_file=tmp_path / "one" / "cms-secret-key")
    two = Settings(secret_key_file=tmp_path / "two" / "cms-secret-key")

    assert signing_key(one) != signing_key(two)


def test_production_refuses_to_build_the_app_without_a_secret(tmp_path):
    settings = Settings(env="production", secret_key_file=tmp_path / "cms-secret-key")

    with pytest.raises(MissingSecretKey, match="CMS_SECRET_KEY"):
        create_app(settings, manage_database=False)
    assert not (tmp_path / "cms-secret-key").exists()


def test_production_takes_the_secret_from_the_environment_or_an_existing_file(tmp_path):
    given = Settings(env="production", secret_key="s" * 32, secret_key_file=tmp_path / "none")
    (tmp_path / "docker-secret").write_text("f" * 40 + "\n")
    from_file = Settings(env="production", secret_key_file=tmp_path / "docker-secret")

    create_app(given, manage_database=False)
    create_app(from_file, manage_database=False)

    assert (signing_key(given), signing_key(from_file)) == ("s" * 32, "f" * 40)


def test_cms_serve_in_production_without_a_secret_exits_with_a_clear_message(tmp_path):
    env = {
        "PATH": str(Path(sys.executable).parent),
        "PYTHONPATH": str(REPO),
        "CMS_ENV": "production",
        "CMS_DATABASE_URL": f"sqlite://{tmp_path / 'cms.sqlite3'}",
    }
    # A deployment migrates first (the image does): the missing secret is what must stop it.
    subprocess.run([str(CMS), "migrate"], cwd=tmp_path, env=env, check=True, timeout=60)
    result = subprocess.run(
        [str(CMS), "serve", "--port", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "Refusing to start" in result.stderr and "CMS_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
