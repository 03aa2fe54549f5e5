"""Settings come from the environment; a bad value stops start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vigil import config
from vigil.config import ConfigError


def test_defaults_work_on_a_laptop(tmp_path: Path) -> None:
    parsed = config.from_environ({"VIGIL_DATA_DIR": str(tmp_path)})
    assert parsed.database["ENGINE"] == "django.db.backends.sqlite3"
    assert parsed.database["NAME"] == str(tmp_path / "vigil.sqlite3")
    assert parsed.debug is False
    assert parsed.port == 8000


def test_postgres_url_is_parsed() -> None:
    parsed = config.from_environ({"DATABASE_URL": "postgres://vigil@db.example:5433/vigil"})
    assert parsed.database["ENGINE"] == "django.db.backends.postgresql"
    assert parsed.database["NAME"] == "vigil"
    assert parsed.database["PORT"] == 5433


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "mysql://root@localhost/vigil"),
        ("DEBUG", "perhaps"),
        ("VIGIL_PORT", "eighty"),
        ("VIGIL_PORT", "70000"),
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", " , "),
        ("CSRF_TRUSTED_ORIGINS", "vigil.example.com"),
        ("VIGIL_TRUSTED_PROXY_HOPS", "many"),
        ("VIGIL_EVIDENCE_STORE", "ftp://files.example/evidence"),
        ("VIGIL_EVIDENCE_STORE", "file://relative/path"),
        ("VIGIL_EVIDENCE_STORE", "s3://"),
        ("VIGIL_EVIDENCE_STORE", "s3://Not_A_Bucket"),
        ("VIGIL_EVIDENCE_STORE", "/srv/evidence"),
        ("VIGIL_EVIDENCE_MAX_BYTES", "0"),
        ("VIGIL_EVIDENCE_MAX_BYTES", "-5"),
        ("VIGIL_EVIDENCE_MAX_BYTES", "lots"),
        ("VIGIL_EVIDENCE_MAX_BYTES", "2X"),
        ("VIGIL_S3_ENDPOINT_URL", "localhost:9000"),
        ("VIGIL_S3_REGION", "US East"),
        ("VIGIL_EVIDENCE_RETENTION_DAYS", "-1"),
        ("VIGIL_EVIDENCE_RETENTION_DAYS", "ten"),
        ("VIGIL_VIDEO_CLIP_MAX_BYTES", "big"),
        ("VIGIL_MQTT_URL", "tcp://broker:1883"),
        ("VIGIL_MQTT_URL", "mqtt://"),
        ("VIGIL_MQTT_URL", "mqtt://broker:port"),
        ("VIGIL_POS_UPLOAD_MAX_BYTES", "lots"),
        ("VIGIL_POS_ZIP_MAX_UNPACKED", "0"),
        ("VIGIL_POS_ZIP_MAX_MEMBER_BYTES", "-1G"),
        ("VIGIL_POS_ZIP_MAX_MEMBERS", "many"),
        ("VIGIL_POS_ZIP_MAX_MEMBERS", "0"),
        ("VIGIL_POS_ZIP_MAX_RATIO", "1.5"),
        ("VIGIL_POS_ZIP_MAX_RATIO", "-200"),
        ("VIGIL_TASK_LEASE_SECONDS", "2"),
        ("VIGIL_TASK_LEASE_SECONDS", "a minute"),
        ("VIGIL_POS_RULES", "rules/mine"),
        ("VIGIL_POS_RULES_OFF", "post_void_own_cash, Drop Table"),
        ("VIGIL_WEBHOOK_ALLOWED_HOSTS", "hooks.internal, not a host"),
        ("VIGIL_API_RATE_PER_CLIENT", "600"),
        ("VIGIL_API_RATE_PER_ADDRESS", "0/min"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as failure:
        config.from_environ({variable: value})
    assert failure.value.variable == variable


def test_evidence_defaults_keep_up_to_4_gib_files_in_the_data_dir() -> None:
    evidence = config.from_environ({}).evidence
    assert evidence.store_url == "local"
    assert evidence.max_bytes == 4_294_967_296
    assert evidence.s3_endpoint_url == ""
    assert evidence.s3_region == "us-east-1"
    assert evidence.retention_days == 0


@pytest.mark.parametrize(
    ("raw", "size"),
    [
        ("4294967296", 4_294_967_296),
        ("500M", 500 * 1024**2),
        ("2G", 2 * 1024**3),
        ("2 GiB", 2 * 1024**3),
        ("64k", 64 * 1024),
    ],
)
def test_evidence_max_bytes_takes_bytes_or_a_binary_suffix(raw: str, size: int) -> None:
    parsed = config.from_environ({"VIGIL_EVIDENCE_MAX_BYTES": raw})
    assert parsed.evidence.max_bytes == size


@pytest.mark.parametrize(
    ("raw", "store_url"),
    [
        ("LOCAL", "local"),
        ("", "local"),
        ("file:///srv/vigil/evidence", "file:///srv/vigil/evidence"),
        ("s3://lp-evidence", "s3://lp-evidence"),
        ("s3://lp-evidence/region-7/", "s3://lp-evidence/region-7/"),
    ],
)
def test_evidence_store_accepts_local_file_and_s3(raw: str, store_url: str) -> None:
    assert config.from_environ({"VIGIL_EVIDENCE_STORE": raw}).evidence.store_url == store_url


def test_a_bad_evidence_store_says_what_is_expected() -> None:
    with pytest.raises(ConfigError) as failure:
        config.from_environ({"VIGIL_EVIDENCE_STORE": "ftp://files.example/evidence"})
    assert "expected local, file:///ABSOLUTE/PATH or s3://BUCKET[/PREFIX]" in str(failure.value)


def test_s3_settings_are_read() -> None:
    evidence = config.from_environ(
        {
            "VIGIL_EVIDENCE_STORE": "s3://lp-evidence",
            "VIGIL_S3_ENDPOINT_URL": "https://minio.example:9000",
            "VIGIL_S3_REGION": "eu-west-2",
            "VIGIL_EVIDENCE_RETENTION_DAYS": "2555",
        }
    ).evidence
    assert evidence.s3_endpoint_url == "https://minio.example:9000"
    assert evidence.s3_region == "eu-west-2"
    assert evidence.retention_days == 2555


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    parsed = config.from_environ({"VIGIL_DATA_DIR": str(tmp_path)})
    first = config.secret_key(parsed)
    assert len(first) >= 50
    assert config.secret_key(parsed) == first
    assert (tmp_path / config.SECRET_KEY_FILE).stat().st_mode & 0o077 == 0


def test_bad_database_url_stops_vigil_serve_with_one_line_and_status_2(tmp_path: Path) -> None:
    env = os.environ | {"DATABASE_URL": "nonsense", "VIGIL_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "vigil.cli", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL" in lines[0] and "nonsense" in lines[0]


def test_email_is_printed_to_the_console_by_default() -> None:
    assert config.from_environ({}).email.backend.endswith("console.EmailBackend")


def test_an_smtp_address_is_read_into_its_parts() -> None:
    url = "smtp://lp%40example.com:s3cret@mail.example.com:587"
    email = config.from_environ({"VIGIL_EMAIL": url}).email
    assert (email.host, email.port, email.user, email.password) == (
        "mail.example.com",
        587,
        "lp@example.com",
        "s3cret",
    )
    assert email.use_tls and not email.use_ssl


def test_a_bad_email_setting_names_the_variable() -> None:
    with pytest.raises(ConfigError) as error:
        config.from_environ({"VIGIL_EMAIL": "mailto:someone"})
    assert error.value.variable == "VIGIL_EMAIL"


def test_video_settings_default_to_no_broker_and_200_mib_clips() -> None:
    parsed = config.from_environ({})
    assert parsed.mqtt_url == "" and parsed.video_clip_max_bytes == 200 * 1024**2
    parsed = config.from_environ({"VIGIL_MQTT_URL": "mqtt://vigil:secret@broker.lan:8883"})
    assert parsed.mqtt_url == "mqtt://vigil:secret@broker.lan:8883"


def test_pos_upload_limits_default_to_a_2_gib_zip_unpacking_to_20_gib() -> None:
    limits = config.from_environ({}).pos_upload
    assert limits.max_bytes == 2 * 1024**3
    assert limits.max_unpacked == 20 * 1024**3
    assert limits.max_member_bytes == 10 * 1024**3
    assert limits.max_members == 10_000
    assert limits.max_ratio == 200


def test_pos_upload_limits_are_read_from_the_environment() -> None:
    limits = config.from_environ(
        {
            "VIGIL_POS_UPLOAD_MAX_BYTES": "500M",
            "VIGIL_POS_ZIP_MAX_UNPACKED": "100G",
            "VIGIL_POS_ZIP_MAX_MEMBER_BYTES": "50G",
            "VIGIL_POS_ZIP_MAX_MEMBERS": "200",
            "VIGIL_POS_ZIP_MAX_RATIO": "50",
        }
    ).pos_upload
    assert (limits.max_bytes, limits.max_unpacked, limits.max_member_bytes) == (
        500 * 1024**2,
        100 * 1024**3,
        50 * 1024**3,
    )
    assert (limits.max_members, limits.max_ratio) == (200, 50)


def test_a_bad_zip_ratio_says_what_is_expected() -> None:
    with pytest.raises(ConfigError) as failure:
        config.from_environ({"VIGIL_POS_ZIP_MAX_RATIO": "lots"})
    assert str(failure.value) == (
        "VIGIL_POS_ZIP_MAX_RATIO: 'lots' is not a whole number above 0 (e.g. 200)"
    )


def test_jobs_are_recovered_after_45_silent_seconds_by_default() -> None:
    assert config.from_environ({}).task_lease_seconds == 45
    assert config.from_environ({"VIGIL_TASK_LEASE_SECONDS": "10"}).task_lease_seconds == 10


def test_pos_rules_can_be_added_and_switched_off(tmp_path: Path) -> None:
    parsed = config.from_environ(
        {"VIGIL_POS_RULES": str(tmp_path), "VIGIL_POS_RULES_OFF": " no_sale_drawer,sweethearting "}
    )
    assert parsed.pos_rules_dir == tmp_path
    assert parsed.pos_rules_off == ("no_sale_drawer", "sweethearting")
    assert config.from_environ({}).pos_rules_off == ()


def test_webhooks_reach_no_inward_host_unless_one_is_named() -> None:
    assert config.from_environ({}).webhook_allowed_hosts == ()
    allowed = config.from_environ({"VIGIL_WEBHOOK_ALLOWED_HOSTS": "Hooks.Internal, [fd00::5]"})
    assert allowed.webhook_allowed_hosts == ("hooks.internal", "fd00::5")


def test_api_rates_default_to_600_a_minute_per_client_and_1200_per_address() -> None:
    parsed = config.from_environ({})
    assert (parsed.api_rate_per_client, parsed.api_rate_per_address) == ((600, 60), (1200, 60))
    assert config.from_environ({"VIGIL_API_RATE_PER_CLIENT": "50/s"}).api_rate_per_client == (
        50,
        1,
    )
