import secrets

from apps.common.tests.utils import manage, subprocess_env


def production_env(**overrides):
    values = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "taskflow.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://taskflow.example.com",
    }
    values.update(overrides)
    return subprocess_env(**values)


def test_check_deploy_passes_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_debug_on():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = manage("check", env=production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
