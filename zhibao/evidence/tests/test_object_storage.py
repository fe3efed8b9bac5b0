"""Evidence files in S3-compatible object storage (ZHIBAO_STORAGE=s3), against moto's in-process S3.

The evidence code only uses Django's storage API, so the same deposit, bundle and hash checks must hold
when the files live in a bucket; the settings must refuse an incomplete configuration at start-up.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

BUCKET = "zhibao-evidence-test"


@pytest.fixture
def s3_storage(settings):  # noqa: ANN001, ANN201
    moto = pytest.importorskip("moto")
    import boto3

    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "region_name": "us-east-1", "access_key": "test",
                        "secret_key": "test", "location": "evidence-prefix", "default_acl": "private",
                        "file_overwrite": False},
        }}
        yield boto3.client("s3", region_name="us-east-1")


def test_deposit_files_are_stored_in_the_bucket_and_read_back_for_the_bundle(demo, s3_storage):  # noqa: ANN001
    from zhibao.evidence import services

    content = "仿冒商贸店铺页面截图说明".encode()
    outcome = services.make_deposit(actor=demo["xinghe"], title="S3 存证",
                                    files=[SimpleUploadedFile("shot.txt", content)])
    keys = [o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("evidence-prefix/evidence/")
    stored = s3_storage.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == outcome.deposit.files.get().sha256

    bundle = services.export_bundle(actor=demo["xinghe"], deposit=outcome.deposit, verify_url="http://t/verify/")
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = zf.namelist()
    assert any(n.endswith("shot.txt") for n in names) and manifest["deposit_no"] == outcome.deposit.deposit_no


def _settings_storage(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import json, zhibao.settings as s; print(json.dumps(s.STORAGES['default']))"
    full_env = {**os.environ, "ZHIBAO_SECRET_KEY": "x" * 50, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True, timeout=60)


def test_settings_select_s3_storage_from_the_environment():
    done = _settings_storage({"ZHIBAO_STORAGE": "s3", "ZHIBAO_S3_BUCKET": "ev", "ZHIBAO_S3_ENDPOINT_URL":
                              "http://127.0.0.1:9000", "ZHIBAO_S3_PREFIX": "bj"})
    assert done.returncode == 0, done.stderr
    storage = json.loads(done.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "ev" and storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000" and storage["OPTIONS"]["file_overwrite"] is False


@pytest.mark.parametrize("env, message", [
    ({"ZHIBAO_STORAGE": "s3"}, "ZHIBAO_S3_BUCKET"),
    ({"ZHIBAO_STORAGE": "ftp"}, "ZHIBAO_STORAGE must be"),
])
def test_settings_refuse_an_incomplete_or_unknown_storage(env, message):  # noqa: ANN001
    done = _settings_storage(env)
    assert done.returncode != 0 and message in done.stderr


def test_default_storage_is_a_local_directory_outside_static_files():
    done = _settings_storage({})
    storage = json.loads(done.stdout)
    assert storage["BACKEND"].endswith("FileSystemStorage") and "static" not in storage["OPTIONS"]["location"]
