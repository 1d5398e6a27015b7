"""The production settings fail closed and pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-very-long-secret-key-for-checking-deploy-settings-0123456789abcdef",
    "JWT_SIGNING_KEY": "another-very-long-jwt-signing-key-0123456789abcdef-xyz",
    "ALLOWED_HOSTS": "shop.example",
    "EMAIL_URL": "smtp://mail.example:587",
}


def _manage(*args, **env_overrides):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in this process; a deployment
    # never has it (check --deploy rightly warns about it).
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update({**PRODUCTION_ENV, **env_overrides})
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing():
    result = _manage("check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_jwt_key_equal_to_the_secret_key():
    result = _manage("check", JWT_SIGNING_KEY=PRODUCTION_ENV["SECRET_KEY"])
    assert result.returncode != 0
    assert "JWT_SIGNING_KEY must differ from SECRET_KEY" in result.stderr
