"""``load_settings``: defaults, validation and the instance's generated secret key."""

from __future__ import annotations

import stat

import pytest
from pinnwand.config import DEFAULT_IDEA_RATE_LIMIT, SECRET_KEY_FILE, ConfigError, load_settings


@pytest.fixture
def instance(tmp_path):
    return tmp_path / "instance"


def test_defaults(instance):
    settings = load_settings({"PINNWAND_INSTANCE_PATH": str(instance)})
    assert settings.instance_path == instance.resolve()
    assert instance.is_dir()
    assert settings.database_url == f"sqlite:///{instance.resolve() / 'pinnwand.db'}"
    assert settings.async_mode == "eventlet"
    assert settings.message_queue is None
    assert settings.idea_rate_limit == DEFAULT_IDEA_RATE_LIMIT > 0
    assert settings.max_body_bytes == 256 * 1024
    assert settings.public_url is None


def test_default_instance_folder_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings({}).instance_path == (tmp_path / "instance").resolve()
    assert load_settings({"PINNWAND_INSTANCE_PATH": "elsewhere"}).instance_path == \
        (tmp_path / "elsewhere").resolve()


def test_environment_is_read_when_nothing_is_passed(instance, monkeypatch):
    monkeypatch.setenv("PINNWAND_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("PINNWAND_IDEA_RATE_LIMIT", "7")
    monkeypatch.setenv("PINNWAND_ASYNC_MODE", "threading")
    settings = load_settings()
    assert (settings.instance_path, settings.idea_rate_limit, settings.async_mode) == \
        (instance.resolve(), 7, "threading")


def test_explicit_values_win(instance):
    settings = load_settings({
        "PINNWAND_INSTANCE_PATH": str(instance),
        "PINNWAND_DATABASE_URL": "postgresql+psycopg://u@h/db",
        "PINNWAND_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
        "PINNWAND_ASYNC_MODE": "gevent",
        "PINNWAND_IDEA_RATE_LIMIT": "0",
        "PINNWAND_MAX_BODY_BYTES": "1024",
    })
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.message_queue == "redis://127.0.0.1:6379/0"
    assert settings.async_mode == "gevent"
    assert settings.idea_rate_limit == 0
    assert settings.max_body_bytes == 1024


@pytest.mark.parametrize("mode", ["eventlet", "gevent", "threading"])
def test_supported_async_modes(instance, mode):
    settings = load_settings({"PINNWAND_INSTANCE_PATH": str(instance),
                              "PINNWAND_ASYNC_MODE": mode})
    assert settings.async_mode == mode


@pytest.mark.parametrize("mode", ["asyncio", "thread", "eventlet2", "none"])
def test_bad_async_mode_is_a_config_error(instance, mode):
    with pytest.raises(ConfigError, match="PINNWAND_ASYNC_MODE"):
        load_settings({"PINNWAND_INSTANCE_PATH": str(instance), "PINNWAND_ASYNC_MODE": mode})


@pytest.mark.parametrize("value", ["many", "1.5", "-1"])
def test_bad_rate_limit_is_a_config_error(instance, value):
    with pytest.raises(ConfigError, match="PINNWAND_IDEA_RATE_LIMIT"):
        load_settings({"PINNWAND_INSTANCE_PATH": str(instance),
                       "PINNWAND_IDEA_RATE_LIMIT": value})


def test_secret_key_is_generated_once_and_reused(instance):
    first = load_settings({"PINNWAND_INSTANCE_PATH": str(instance)}).secret_key
    second = load_settings({"PINNWAND_INSTANCE_PATH": str(instance)}).secret_key
    assert first == second
    assert len(first) >= 32
    assert (instance / SECRET_KEY_FILE).read_text().strip() == first


def test_secret_key_differs_per_instance(tmp_path):
    one = load_settings({"PINNWAND_INSTANCE_PATH": str(tmp_path / "one")}).secret_key
    two = load_settings({"PINNWAND_INSTANCE_PATH": str(tmp_path / "two")}).secret_key
    assert one != two


def test_secret_key_file_is_private(instance):
    load_settings({"PINNWAND_INSTANCE_PATH": str(instance)})
    mode = stat.S_IMODE((instance / SECRET_KEY_FILE).stat().st_mode)
    assert mode == 0o600


def test_secret_key_from_the_environment_wins(instance):
    load_settings({"PINNWAND_INSTANCE_PATH": str(instance)})
    settings = load_settings({"PINNWAND_INSTANCE_PATH": str(instance),
                              "PINNWAND_SECRET_KEY": "from-the-environment"})
    assert settings.secret_key == "from-the-environment"


def test_existing_secret_key_file_is_kept(instance):
    instance.mkdir()
    (instance / SECRET_KEY_FILE).write_text("kept-from-before\n")
    assert load_settings({"PINNWAND_INSTANCE_PATH": str(instance)}).secret_key == \
        "kept-from-before"


def test_no_temporary_files_are_left_behind(instance):
    load_settings({"PINNWAND_INSTANCE_PATH": str(instance)})
    assert sorted(p.name for p in instance.iterdir()) == [SECRET_KEY_FILE]
