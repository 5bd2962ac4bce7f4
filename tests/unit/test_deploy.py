"""deploy/: the image, the Compose file, the systemd units and the Kubernetes manifests say
what docs/operations.md says, run commands and options ``loyalist`` has, and set only
settings that exist, with values the settings accept.

No Docker daemon and no cluster here: the files are read, not run (``systemd-analyze
verify`` checks the units where it is installed).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from loyalist.cli.app import load_command
from loyalist.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
KUBERNETES = DEPLOY / "kubernetes"
#: What the systemd units install to (ExecStart); the tests use their own ``loyalist``.
INSTALLED = "/opt/loyalist/.venv/bin/loyalist"
_NAME = re.compile(r"\bLOYALIST_[A-Z0-9_]*[A-Z0-9]\b")
_GRACE_FIELD = "shutdown_grace_seconds"
#: Where a container's server listens, and its scratch space.
ANY_ADDRESS = "0.0.0.0"  # noqa: S104 (a container is reached from outside itself)
SCRATCH = "/tmp"  # noqa: S108 (a mount point in the manifests, not a file of ours)


def setting_names(model: type[BaseModel] = Settings, prefix: str = "LOYALIST_") -> set[str]:
    """Every environment variable the settings read: ``LOYALIST_<FIELD>`` and, for nested
    models, ``LOYALIST_<FIELD>__<FIELD>``; a nested model can also be set whole."""
    names = set()
    for name, field in model.model_fields.items():
        env = prefix + name.upper()
        names.add(env)
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            names |= setting_names(kind, env + "__")
    return names


def shutdown_grace_seconds() -> float:
    """How long a process may take to stop after SIGTERM (30 s unless a setting says)."""
    field = Settings.model_fields.get(_GRACE_FIELD)
    return float(field.default) if field is not None else 30.0


def env_file(path: Path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value
    return pairs


def settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in [n for n in os.environ if n.startswith("LOYALIST_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        if name.startswith("LOYALIST_"):
            monkeypatch.setenv(name, value)
    return Settings()


def deploy_files() -> Iterator[Path]:
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file():
            yield path


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return document


def manifests() -> list[dict[str, Any]]:
    found = []
    for path in sorted(KUBERNETES.glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def manifest(kind: str, name: str) -> dict[str, Any]:
    (found,) = [m for m in manifests() if m["kind"] == kind and m["metadata"]["name"] == name]
    return found


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((UNITS / name).read_text())
    return parser


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) of deploy/Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def container(document: dict[str, Any]) -> dict[str, Any]:
    (found,) = document["spec"]["template"]["spec"]["containers"]
    spec: dict[str, Any] = found
    return spec


def command_lines() -> dict[str, list[str]]:
    """Every ``loyalist`` command line in deploy/, by where it is."""
    lines: dict[str, list[str]] = {}
    for name, service in compose()["services"].items():
        if service.get("image", "").startswith("loyalist"):
            lines[f"compose {name}"] = service["command"]
    for document in manifests():
        if document["kind"] in ("Deployment", "Job"):
            lines[f"{document['kind']} {document['metadata']['name']}"] = container(document)[
                "args"
            ]
    cmd = [json.loads(args) for op, args in dockerfile() if op == "CMD"]
    lines["Dockerfile CMD"] = cmd[-1]
    for path in sorted(UNITS.glob("*.service")):
        exec_start = unit(path.name)["Service"]["ExecStart"]
        program, *args = shlex.split(exec_start.replace("%i", "8001"))
        assert program == INSTALLED, path.name
        lines[path.name] = args
    return lines


class TestCommands:
    def test_every_command_line_parses_with_the_commands_options(self) -> None:
        lines = command_lines()

        for argv in lines.values():
            name, *rest = argv
            command = load_command(name)
            # parses and checks the options as a run would, without running the command
            command.make_context(name, list(rest))

        assert {argv[0] for argv in lines.values()} == {"init", "serve", "worker"}

    def test_an_option_the_command_lacks_is_refused(self) -> None:
        from typer._click.exceptions import UsageError

        with pytest.raises(UsageError):
            load_command("serve").make_context("serve", ["--threads", "2"])


class TestSettings:
    def test_every_setting_named_in_deploy_exists(self) -> None:
        known = setting_names()
        named = {
            (path.relative_to(ROOT).as_posix(), name)
            for path in deploy_files()
            for name in _NAME.findall(path.read_text())
        }

        assert {name for _, name in named} >= {"LOYALIST_DATABASE_URL", "LOYALIST_SECRET_KEY"}
        assert [(where, name) for where, name in sorted(named) if name not in known] == []

    def test_the_names_come_from_the_settings_model(self) -> None:
        names = setting_names()

        assert {"LOYALIST_HOME", "LOYALIST_DB__STATEMENT_TIMEOUT_SECONDS"} <= names
        assert {"LOYALIST_SMTP__HOST", "LOYALIST_METRICS__TOKEN"} <= names
        assert "LOYALIST_SMTP__NOTHING" not in names

    def test_the_systemd_env_file_example_is_accepted(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        settings = settings_from(env_file(UNITS / "loyalist.env.example"), monkeypatch)

        assert settings.database_url.startswith("postgresql+psycopg://")
        assert settings.smtp.effective_port == 587
        assert settings.db.statement_timeout_seconds == 60

    def test_compose_settings_are_accepted(self, monkeypatch: pytest.MonkeyPatch) -> None:
        api = compose()["services"]["api"]
        env = env_file(DEPLOY / "loyalist.env.example") | api["environment"]

        settings = settings_from(env, monkeypatch)

        assert settings.smtp.host == "mailpit"
        assert settings.smtp.effective_port == 1025

    def test_kubernetes_settings_are_accepted(self, monkeypatch: pytest.MonkeyPatch) -> None:
        config = manifest("ConfigMap", "loyalist")["data"]
        secret = manifest("Secret", "loyalist")["stringData"]

        settings = settings_from(config | secret, monkeypatch)

        assert settings.secret_key
        assert settings.db.lock_timeout_seconds == 30


class TestImage:
    def test_builds_from_the_lock_file_and_runs_loyalist_as_a_user_on_8000(self) -> None:
        steps = dockerfile()
        ops = {op for op, _ in steps}
        arguments = [args for _, args in steps]

        (base,) = [a.split("=", 1)[1] for a in arguments if a.startswith("PYTHON_IMAGE=")]
        assert base.startswith("python:3.11-slim")
        assert any("uv sync --frozen --no-dev" in a for op, a in steps if op == "RUN")
        (user,) = [a for op, a in steps if op == "USER"]
        assert user.split(":")[0] not in ("0", "root")
        assert ("ENTRYPOINT", '["loyalist"]') in steps
        assert ("EXPOSE", "8000") in steps
        (health,) = [a for op, a in steps if op == "HEALTHCHECK"]
        assert "http://127.0.0.1:8000/healthz" in health
        assert command_lines()["Dockerfile CMD"][:3] == ["serve", "--host", ANY_ADDRESS]
        assert {"FROM", "COPY", "ENV", "STOPSIGNAL"} <= ops

    def test_what_it_copies_exists_and_is_in_the_build_context(self) -> None:
        ignore = (ROOT / ".dockerignore").read_text().splitlines()
        kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
        copied = [
            args.split()[:-1] for op, args in dockerfile() if op == "COPY" and "--from" not in args
        ]

        assert "*" in ignore
        for sources in copied:
            for source in sources:
                assert (ROOT / source).exists(), source
                assert source.rstrip("/") in kept, source


class TestCompose:
    def test_postgres_migrations_api_worker_and_an_smtp_sink(self) -> None:
        services = compose()["services"]

        assert set(services) == {"postgres", "migrate", "api", "worker", "mailpit"}
        postgres = services["postgres"]
        assert postgres["image"].startswith("postgres:15")
        assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
        migrate, api, worker = services["migrate"], services["api"], services["worker"]
        assert migrate["command"] == ["init"]
        assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert api["command"][:6] == ["serve", "--host", ANY_ADDRESS, "--port", "8000", "--workers"]
        assert "http://127.0.0.1:8000/readyz" in " ".join(api["healthcheck"]["test"])
        assert worker["command"] == ["worker"]
        for service in (api, worker):
            assert service["depends_on"] == {
                "migrate": {"condition": "service_completed_successfully"}
            }
        assert services["mailpit"]["image"].startswith("axllent/mailpit:")
        assert any(p.endswith(":8025") for p in services["mailpit"]["ports"])

    def test_the_image_is_built_from_the_repository_and_secrets_stay_out(self) -> None:
        services = compose()["services"]

        for name in ("migrate", "api", "worker"):
            service = services[name]
            build = service["build"]
            assert (DEPLOY / build["context"]).resolve() == ROOT
            assert (ROOT / build["dockerfile"]).is_file()
            assert service["env_file"] == [{"path": "loyalist.env", "required": True}]
            assert service["environment"]["LOYALIST_SMTP__HOST"] == "mailpit"
            assert "LOYALIST_SECRET_KEY" not in service["environment"]
            assert float(service["stop_grace_period"].rstrip("s")) > shutdown_grace_seconds()
        assert "loyalist.env" in (DEPLOY / ".gitignore").read_text().split()


class TestKubernetes:
    def test_the_api_is_ready_on_readyz_and_alive_on_healthz_at_its_port(self) -> None:
        api = manifest("Deployment", "loyalist-api")
        spec = container(api)

        args = spec["args"]
        (port,) = spec["ports"]
        assert args[args.index("--host") + 1] == ANY_ADDRESS
        assert int(args[args.index("--port") + 1]) == port["containerPort"]
        assert spec["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port["name"]}
        assert spec["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}
        service = manifest("Service", "loyalist-api")
        assert service["spec"]["ports"][0]["targetPort"] == port["name"]
        assert service["spec"]["selector"] == api["spec"]["selector"]["matchLabels"]

    def test_pods_run_unprivileged_on_a_read_only_root_with_resources(self) -> None:
        for kind, name in (
            ("Deployment", "loyalist-api"),
            ("Deployment", "loyalist-worker"),
            ("Job", "loyalist-migrate"),
        ):
            pod = manifest(kind, name)["spec"]["template"]["spec"]
            spec = container(manifest(kind, name))
            assert pod["securityContext"]["runAsNonRoot"] is True
            assert pod["securityContext"]["runAsUser"] != 0
            assert spec["securityContext"]["readOnlyRootFilesystem"] is True
            assert spec["securityContext"]["allowPrivilegeEscalation"] is False
            assert {"requests", "limits"} <= set(spec["resources"])
            assert {m["mountPath"] for m in spec["volumeMounts"]} == {SCRATCH, "/var/lib/loyalist"}
            assert spec["envFrom"] == [
                {"configMapRef": {"name": "loyalist"}},
                {"secretRef": {"name": "loyalist"}},
            ]
            if kind == "Deployment":
                grace = pod["terminationGracePeriodSeconds"]
                assert grace > shutdown_grace_seconds()

    def test_the_kustomization_lists_files_that_exist_and_leaves_the_secret_out(self) -> None:
        kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())

        assert all((KUBERNETES / name).is_file() for name in kustomization["resources"])
        assert "secret.example.yaml" not in kustomization["resources"]
        assert "migrate-job.yaml" not in kustomization["resources"]


class TestSystemd:
    @pytest.mark.parametrize("name", ["loyalist-api@.service", "loyalist-worker@.service"])
    def test_processes_are_hardened_private_and_restarted(self, name: str) -> None:
        service = unit(name)["Service"]

        assert service["UMask"] == "0077"
        assert service["NoNewPrivileges"] == "yes"
        assert service["ProtectSystem"] == "strict"
        assert service["PrivateTmp"] == "yes"
        assert service["ReadWritePaths"] == service["Environment"].split("=", 1)[1]
        assert service["Environment"] == "LOYALIST_HOME=/var/lib/loyalist"
        assert service["Restart"] == "on-failure"
        assert service["KillSignal"] == "SIGTERM"
        assert float(service["TimeoutStopSec"]) > shutdown_grace_seconds()
        assert service["EnvironmentFile"] == "/etc/loyalist/loyalist.env"
        assert service["User"] == "loyalist"

    def test_the_api_listens_on_its_instance_port(self) -> None:
        exec_start = unit("loyalist-api@.service")["Service"]["ExecStart"]

        assert shlex.split(exec_start)[-2:] == ["--port", "%i"]

    @pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
    def test_systemd_analyze_verifies_the_units(self, tmp_path: Path) -> None:
        program = Path(sys.executable).with_name("loyalist")
        for path in UNITS.iterdir():
            text = path.read_text().replace(INSTALLED, str(program))
            (tmp_path / path.name).write_text(text)
        names = [
            "loyalist-api@8001.service",
            "loyalist-worker@1.service",
            "loyalist-migrate.service",
            "loyalist.target",
        ]

        done = subprocess.run(  # noqa: S603 (a fixed program and our unit files)
            ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / n) for n in names)],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert (done.returncode, done.stderr) == (0, "")
