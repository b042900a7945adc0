"""With Redis as the limiter's storage, the sign-in throttle holds across processes."""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from flask_migrate import upgrade
from lab import create_app
from tests.factories import make_person

database, redis_url, prefix, attempts = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + database,
                             "RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": prefix,
                             "MAIL_BACKEND": "file"})
with app.app_context():
    upgrade()
    make_person("redis@example.org", "Redis Test", "delegate", "piemonte")
client = app.test_client()
print(json.dumps([client.post("/sign-in", data={"email": "redis@example.org", "password": "no"}).status_code
                  for _ in range(attempts)]))
"""


def run_process(database, prefix, attempts):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(database), REDIS_URL, prefix, str(attempts)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_failed_sign_ins_counted_in_one_process_throttle_another(tmp_path):
    prefix = f"lab-test-{uuid.uuid4().hex}"
    database = tmp_path / "shared.sqlite"
    assert run_process(database, prefix, 5) == [401] * 5
    assert run_process(database, prefix, 1) == [429]
