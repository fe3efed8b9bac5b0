"""Health check, error pages, upload limit, settings safety."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import override_settings


def test_healthz_reports_database_ok(client, db):  # noqa: ANN001
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_api_docs_are_served(client, db):  # noqa: ANN001
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/orgs" in schema["paths"]


def test_unknown_api_path_is_json_404(client_as):  # noqa: ANN001
    response = client_as("xinghe").get("/api/v1/nothing-here", HTTP_ACCEPT="application/json")
    assert response.status_code == 404


def test_api_without_login_is_401_json(client, db):  # noqa: ANN001
    response = client.get("/api/v1/orgs")
    assert response.status_code == 401
    assert "detail" in response.json()


@override_settings(ZHIBAO_MAX_UPLOAD_BYTES=1024)
def test_upload_over_the_limit_is_413_with_a_message(client_as):  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.csv", b"x" * 4096, content_type="text/csv")
    response = client_as("xinghe").post("/api/v1/rights/import", {"file": big})
    assert response.status_code == 413
    assert "上限" in response.json()["detail"]


def test_pages_require_login(client, db):  # noqa: ANN001
    response = client.get("/orgs/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dashboard_shows_role_navigation(client_as):  # noqa: ANN001
    page = client_as("shenji").get("/dashboard/").content.decode()
    assert "审计日志" in page
    page = client_as("xinghe").get("/dashboard/").content.decode()
    assert "审计日志" not in page and "权利登记" in page


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(tmp_path):  # noqa: ANN001
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zhibao.settings'; django.setup()"
    env = {"PATH": "/usr/bin:/bin", "ZHIBAO_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "ZHIBAO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("prepared, expected", [({}, "True 5"), ({"ZHIBAO_PG_PREPARED": "0"}, "None None")])
def test_postgresql_binds_on_the_server_and_prepares_unless_turned_off(tmp_path, prepared, expected):  # noqa: ANN001
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zhibao.settings';"
            "from django.conf import settings; o = settings.DATABASES['default'].get('OPTIONS', {});"
            "print(o.get('server_side_binding'), o.get('prepare_threshold'))")
    env = {"PATH": "/usr/bin:/bin", "ZHIBAO_DATA_DIR": str(tmp_path), "ZHIBAO_DEBUG": "1",
           "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/nowhere", **prepared}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected.split()


def test_settings_generate_a_local_secret_key_in_debug(tmp_path):  # noqa: ANN001
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zhibao.settings'; django.setup();"
            "from django.conf import settings; print(settings.DEBUG, len(settings.SECRET_KEY))")
    env = {"PATH": "/usr/bin:/bin", "ZHIBAO_DATA_DIR": str(tmp_path), "ZHIBAO_DEBUG": "1"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert result.stdout.split()[0] == "True"


def test_bad_boolean_setting_is_rejected(tmp_path):  # noqa: ANN001
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='zhibao.settings'; django.setup()"
    env = {"PATH": "/usr/bin:/bin", "ZHIBAO_DATA_DIR": str(tmp_path), "ZHIBAO_DEBUG": "maybe"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "not a boolean" in result.stderr


@pytest.mark.django_db
def test_demo_load_is_idempotent(demo):  # noqa: ANN001
    from zhibao.core import demo as demo_data
    from zhibao.orgs.models import Organisation
    from zhibao.rights.models import Right

    counts = (Organisation.objects.count(), Right.objects.count(), len(demo))
    demo_data.load()
    from zhibao.accounts.models import User

    assert (Organisation.objects.count(), Right.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_demo_command_prints_the_address_it_is_given(demo, settings):  # noqa: ANN001
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", "load", "--url", "http://127.0.0.1:8123", stdout=out)
    assert "打开 http://127.0.0.1:8123 " in out.getvalue() and "8000" not in out.getvalue()
    settings.ZHIBAO_SITE_URL = "https://ip.example.gov.cn"
    call_command("demo", "load", stdout=(out := StringIO()))
    assert "打开 https://ip.example.gov.cn " in out.getvalue()


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "cores"), ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/zhibao"}, "2 x cores"),
    ({"ZHIBAO_WEB_WORKERS": "3", "DATABASE_URL": "postgresql://x/y"}, "3"),
])
def test_gunicorn_config_sizes_workers_by_database_unless_told(monkeypatch, env, expected):  # noqa: ANN001
    import os
    import runpy
    from pathlib import Path

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ZHIBAO_WEB_WORKERS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(Path(__file__).resolve().parents[3] / "gunicorn.conf.py"))
    cores = os.cpu_count() or 1
    assert config["workers"] == {"cores": cores, "2 x cores": 2 * cores, "3": 3}[expected]
    assert config["wsgi_app"] == "zhibao.wsgi"


@pytest.mark.parametrize("bad", ["0", "four", "-2"])
def test_gunicorn_config_refuses_a_bad_worker_count_by_name(monkeypatch, bad):  # noqa: ANN001
    import runpy
    from pathlib import Path

    monkeypatch.setenv("ZHIBAO_WEB_WORKERS", bad)
    with pytest.raises(SystemExit, match="ZHIBAO_WEB_WORKERS"):
        runpy.run_path(str(Path(__file__).resolve().parents[3] / "gunicorn.conf.py"))
