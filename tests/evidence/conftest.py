"""A real S3 endpoint for the evidence store: moto's server on loopback, one per test run.

If the server cannot start, the S3 tests fail rather than skip: an S3 back end that is never
exercised is an S3 back end that does not work.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

MOTO_SERVER = Path(sys.executable).with_name("moto_server")
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "us-east-1"
START_SECONDS = 30


@dataclass(frozen=True)
class S3Server:
    """A running moto server and its buckets: one versioned, one with Object Lock."""

    endpoint_url: str
    bucket: str = "evidence"
    locked_bucket: str = "evidence-locked"

    def client(self) -> Any:
        """A boto3 client that talks to this server directly, behind the store's back."""
        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=REGION, **CREDENTIALS)


@pytest.fixture(autouse=True)
def _dummy_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The store reads credentials from the environment as boto3 does; never real ones here."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    for variable in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    port = _free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(process, port, log)
        server = S3Server(endpoint_url=f"http://127.0.0.1:{port}")
        _create_buckets(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_answering(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto_server exited with {process.returncode}:\n{log.read_text()}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            connection.request("GET", "/moto-api/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    pytest.fail(
        f"moto_server did not answer on port {port} in {START_SECONDS} s:\n{log.read_text()}"
    )


def _create_buckets(server: S3Server) -> None:
    client = server.client()
    client.create_bucket(Bucket=server.bucket)
    # Versioned like a production evidence bucket, so the tests see it if a temporary
    # object is only hidden behind a delete marker instead of removed.
    client.put_bucket_versioning(
        Bucket=server.bucket, VersioningConfiguration={"Status": "Enabled"}
    )
    client.create_bucket(Bucket=server.locked_bucket, ObjectLockEnabledForBucket=True)
