"""The container and Kubernetes deployment files agree with each other and with the code.

- `Dockerfile` (user-code image) and `.dockerignore`; `deploy/constraints.txt` (the pins);
- `deploy/docker-compose.yaml` + `deploy/dagster.docker.yaml` (instance: Postgres, DockerRunLauncher,
  run queue, pools) + `deploy/workspace.docker.yaml` + `deploy/Dockerfile.dagster`;
- `deploy/helm/values.yaml` for Dagster's official chart (dagster/dagster 1.13.27), validated against
  `deploy/helm/values.schema.json` (our subset of the chart's keys), and
  `deploy/helm/nba-assets-data-pvc.yaml`.

No secret is written in any of them. With a running Docker daemon, the compose stack is built and
started and one date is materialised through the webserver, the daemon and the DockerRunLauncher;
without one that test is skipped with the reason.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import time
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HELM = DEPLOY / "helm"

DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
DAGSTER_DOCKERFILE = DEPLOY / "Dockerfile.dagster"
CONSTRAINTS = DEPLOY / "constraints.txt"
COMPOSE = DEPLOY / "docker-compose.yaml"
INSTANCE = DEPLOY / "dagster.docker.yaml"
WORKSPACE = DEPLOY / "workspace.docker.yaml"
ENV_EXAMPLE = DEPLOY / "nba-assets.env.example"
VALUES = HELM / "values.yaml"
VALUES_SCHEMA = HELM / "values.schema.json"
PVC = HELM / "nba-assets-data-pvc.yaml"

DEPLOY_FILES = [DOCKERFILE, DOCKERIGNORE, DAGSTER_DOCKERFILE, COMPOSE, INSTANCE, WORKSPACE, ENV_EXAMPLE, VALUES, PVC]

# Key-like literals: long opaque tokens, and the shapes of well-known credentials.
KEY_LIKE = [
    # 32+ characters of a token alphabet, at least one a digit (paths and names have separators)
    re.compile(r"(?<![A-Za-z0-9_+\-])(?=[A-Za-z_+\-]*[0-9])[A-Za-z0-9_+\-]{32,}={0,2}"),
    re.compile(r"\b[0-9a-f]{24,}\b"),
    re.compile(r"hooks\.slack\.com/services/"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    re.compile(r"\b(sk|pk|rk)_(live|test)_[0-9A-Za-z]{8,}"),
    re.compile(r"\bxox[abpr]-[0-9A-Za-z-]{10,}"),
    re.compile(r"\"private_key\"\s*:"),
]
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


# ---------------------------------------------------------------------------------------------
# helpers


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text())


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def code_location() -> tuple[str, str]:
    """(module, location name) of `[tool.dagster]`."""
    tool = pyproject()["tool"]["dagster"]
    return tool["module_name"], tool["code_location_name"]


def _sources() -> list[Path]:
    return sorted([*(ROOT / "resources").rglob("*.py"), *(ROOT / "nba_assets").rglob("*.py")])


def env_vars_read_by_code() -> set[str]:
    """Every environment variable the code location reads (os.environ, EnvVar, the settings helpers)."""
    patterns = [
        r"environ\.get\(\s*\"([A-Z][A-Z0-9_]*)\"",
        r"environ\[\s*\"([A-Z][A-Z0-9_]*)\"\s*\]",
        r"getenv\(\s*\"([A-Z][A-Z0-9_]*)\"",
        r"EnvVar\(\s*\"([A-Z][A-Z0-9_]*)\"",
        r"_env\(\s*\"([A-Z][A-Z0-9_]*)\"",
        r"_secret\(\s*\"([A-Z][A-Z0-9_]*)\"",
        r"_store_kind\(\s*\"([A-Z][A-Z0-9_]*)\",\s*\"([A-Z][A-Z0-9_]*)\"",
        r"for name in \(([^)]*)\) if not os\.environ",
    ]
    names: set[str] = set()
    for path in _sources():
        text = path.read_text()
        for pattern in patterns:
            for match in re.finditer(pattern, text):
                for group in match.groups():
                    names.update(re.findall(r"[A-Z][A-Z0-9_]{2,}", group))
    return names


def secret_env_vars() -> set[str]:
    """The variables the settings treat as secrets (`_secret(...)` in resources/settings.py)."""
    text = (ROOT / "resources" / "settings.py").read_text()
    names = set(re.findall(r"_secret\(\s*\"([A-Z][A-Z0-9_]*)\"", text))
    assert {"BDL_API_KEY", "ODDS_API_KEY"} <= names, names
    return names


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in path.read_text().splitlines():
        if raw.lstrip().startswith("#") and not current:
            continue
        line = raw.rstrip()
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        if current.strip():
            word, _, rest = current.strip().partition(" ")
            lines.append((word.upper(), rest.strip()))
        current = ""
    return lines


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), arguments
    return value


def option(argv: list[str], *flags: str) -> str:
    for flag in flags:
        if flag in argv:
            return argv[argv.index(flag) + 1]
    raise AssertionError(f"none of {flags} in {argv}")


def interpolations(value: str) -> list[tuple[str, str, str]]:
    """The ${...} of a compose value: (variable, operator, default or message)."""
    return [(m.group(1), m.group(2) or "", m.group(3) or "") for m in INTERPOLATION.finditer(value)]


def pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-\[\]]+?)(?:\[[^\]]*\])?==([^\s;#]+)\s*(?:[;#].*)?", line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def quantity(value: str | int | float, memory: bool) -> float:
    text = str(value)
    units = {"m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", text)
    assert match, text
    number, unit = float(match.group(1)), match.group(2)
    if unit and unit not in units:
        raise AssertionError(f"unknown unit in {text!r}")
    if memory and unit == "m":
        raise AssertionError(f"memory in millibytes: {text!r}")
    return number * units.get(unit, 1)


def compose() -> dict:
    return load_yaml(COMPOSE)


def service_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def instance_env_references(config) -> set[str]:
    """Every `env: NAME` of a Dagster config tree."""
    found: set[str] = set()
    if isinstance(config, dict):
        if set(config) == {"env"} and isinstance(config["env"], str):
            return {config["env"]}
        for value in config.values():
            found |= instance_env_references(value)
    elif isinstance(config, list):
        for value in config:
            found |= instance_env_references(value)
    return found


def values() -> dict:
    return load_yaml(VALUES)


def user_deployment(helm_values: dict) -> dict:
    (deployment,) = helm_values["dagster-user-deployments"]["deployments"]
    return deployment


def string_leaves(tree, path=""):
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from string_leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from string_leaves(value, f"{path}[{index}]")
    elif isinstance(tree, str):
        yield path, tree


# ---------------------------------------------------------------------------------------------
# the user-code image


def test_dockerfile_serves_the_code_location():
    module, location = code_location()
    instructions = dockerfile_instructions(DOCKERFILE)
    assert instructions[0] == ("FROM", "python:3.11-slim")
    kinds = [kind for kind, _ in instructions]
    # the run launchers and the Helm chart replace the command; an ENTRYPOINT would be prepended to theirs
    assert "ENTRYPOINT" not in kinds
    (cmd,) = [exec_form(args) for kind, args in instructions if kind == "CMD"]
    assert cmd[:3] == ["dagster", "code-server", "start"]
    assert option(cmd, "-m", "--module-name") == module
    assert option(cmd, "--location-name") == location
    assert option(cmd, "-h", "--host") == "0.0.0.0"
    port = int(option(cmd, "-p", "--port"))
    workspace = load_yaml(WORKSPACE)["load_from"][0]["grpc_server"]
    assert port == workspace["port"], "the image serves on another port than the workspace's"
    assert ("EXPOSE", str(port)) in instructions
    runs = " ".join(args for kind, args in instructions if kind == "RUN")
    # every pip install of the image is pinned by the constraints file
    assert runs.count("pip install") == runs.count("pip install --constraint") + runs.count("pip install --no-deps --constraint")
    assert "/tmp/build/constraints.txt" in runs
    # not root at run time
    users = [args for kind, args in instructions if kind == "USER"]
    assert users and users[-1] not in ("root", "0")
    env = " ".join(args for kind, args in instructions if kind == "ENV")
    assert "NBA_DATA_DIR=/opt/dagster/data" in env


def test_dockerignore_admits_only_what_the_image_copies():
    rules = [line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert rules[0] == "*", "the build context is an allowlist"
    allowed = [rule[1:].rstrip("/") for rule in rules if rule.startswith("!")]
    copied = []
    for kind, args in dockerfile_instructions(DOCKERFILE):
        if kind == "COPY":
            *sources, _destination = shlex.split(args)
            copied += [s for s in sources if not s.startswith("--")]
    assert copied
    for source in copied:
        assert source.rstrip("/") in allowed, f"{source} is copied but excluded by .dockerignore"
        assert (ROOT / source).exists(), source
    for forbidden in (".venv", "data", ".dagster", ".git", "nba_assets_tests", "bench", "deploy/helm"):
        assert forbidden not in allowed


def test_pins_agree_across_pyproject_constraints_and_images():
    import dagster

    constraints = pins(CONSTRAINTS.read_text().splitlines())
    project_pins = pins(pyproject()["project"]["dependencies"])
    assert project_pins["dagster"] == "1.13.27" == dagster.__version__
    for name, version in project_pins.items():
        assert constraints.get(name) == version, f"{name}: pyproject {version}, constraints {constraints.get(name)}"
    core_patch = project_pins["dagster"].split(".")[2]
    for name, version in constraints.items():
        if name in ("dagster", "dagster-graphql", "dagster-webserver", "dagster-pipes", "dagster-shared"):
            assert version == project_pins["dagster"], (name, version)
        elif name.startswith("dagster-"):
            assert version == f"0.29.{core_patch}", f"{name}=={version}: libraries 0.29.N go with core 1.13.N"
    # every requirement of the project is pinned in the image
    for requirement in pyproject()["project"]["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in constraints, f"{name} is not pinned in {CONSTRAINTS.name}"
    # the webserver/daemon image
    runs = " ".join(args for kind, args in dockerfile_instructions(DAGSTER_DOCKERFILE) if kind == "RUN")
    assert "--constraint /tmp/constraints.txt" in runs
    image_pins = pins(runs.split())
    assert image_pins["dagster"] == "1.13.27"
    for name in ("dagster-webserver", "dagster-postgres", "dagster-docker"):
        assert image_pins[name] == constraints[name], name
    assert constraints["dagster-docker"] == f"0.29.{core_patch}"
    # the user-code image: runs start in it and load the instance, run launcher included, so it
    # carries both launchers' libraries (Dagster's deployment guides ask for them in user code)
    user_runs = " ".join(args for kind, args in dockerfile_instructions(DOCKERFILE) if kind == "RUN")
    user_pins = pins(user_runs.split())
    for name in ("dagster-docker", "dagster-k8s"):
        assert user_pins.get(name) == constraints[name] == f"0.29.{core_patch}", name


# ---------------------------------------------------------------------------------------------
# the compose stack


def test_compose_services_network_and_images():
    stack = compose()
    services = stack["services"]
    assert set(services) == {"postgres", "user-code", "webserver", "daemon"}
    instance = load_yaml(INSTANCE)
    launcher = instance["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_docker", "DockerRunLauncher")
    network_names = {key: (value or {}).get("name", key) for key, value in stack["networks"].items()}
    assert launcher["config"]["network"] in network_names.values(), "the run launcher's network is not the stack's"
    (network_key,) = [key for key, name in network_names.items() if name == launcher["config"]["network"]]
    for name, service in services.items():
        assert network_key in service["networks"], f"{name} is not on {network_key}"
    # runs start in the code server's image
    user_code = services["user-code"]
    assert service_env(user_code)["DAGSTER_CURRENT_IMAGE"] == user_code["image"]
    assert user_code["build"] == {"context": "..", "dockerfile": "Dockerfile"}
    module, location = code_location()
    assert option(user_code["command"], "-m") == module
    assert option(user_code["command"], "--location-name") == location
    # webserver and daemon: the Dagster image with dagster-docker, talking to the host's Docker
    for name in ("webserver", "daemon"):
        service = services[name]
        assert service["build"] == {"context": ".", "dockerfile": DAGSTER_DOCKERFILE.name}
        assert "/var/run/docker.sock:/var/run/docker.sock" in service["volumes"]
        assert option(service["command"], "-w") == "workspace.yaml"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["user-code"]["condition"] == "service_healthy"
    assert services["webserver"]["command"][0] == "dagster-webserver"
    assert services["daemon"]["command"][:2] == ["dagster-daemon", "run"]
    # the webserver is published on the loopback interface only
    (published,) = services["webserver"]["ports"]
    assert published.startswith("127.0.0.1:") and published.endswith(":" + option(services["webserver"]["command"], "-p"))


def test_workspace_points_at_the_user_code_service():
    (entry,) = load_yaml(WORKSPACE)["load_from"]
    server = entry["grpc_server"]
    services = compose()["services"]
    assert server["host"] in services
    command = services[server["host"]]["command"]
    assert int(option(command, "-p")) == server["port"], "the workspace's port is not the code server's"
    assert option(command, "-h") == "0.0.0.0"
    assert server["location_name"] == code_location()[1]
    health = services[server["host"]]["healthcheck"]["test"]
    assert "grpc-health-check" in health and health[health.index("-p") + 1] == str(server["port"])
    # Dockerfile.dagster puts the workspace and the instance where the services read them
    instructions = dockerfile_instructions(DAGSTER_DOCKERFILE)
    copies = [shlex.split(args) for kind, args in instructions if kind == "COPY"]
    assert [WORKSPACE.name, "/opt/dagster/app/workspace.yaml"] in copies
    assert [INSTANCE.name, "/opt/dagster/dagster_home/dagster.yaml"] in copies
    assert ("WORKDIR", "/opt/dagster/app") in instructions
    assert "DAGSTER_HOME=/opt/dagster/dagster_home" in " ".join(a for k, a in instructions if k == "ENV")


def test_postgres_settings_agree_between_compose_and_instance():
    stack = compose()
    services = stack["services"]
    instance = load_yaml(INSTANCE)
    postgres_db = instance["storage"]["postgres"]["postgres_db"]
    assert postgres_db["scheme"] == "postgresql+psycopg2"
    referenced = instance_env_references(postgres_db)
    assert referenced == {"DAGSTER_PG_HOST", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB"}
    # every process that opens the instance has them: webserver, daemon, code server (sensors), runs
    for name in ("webserver", "daemon", "user-code"):
        assert referenced <= set(service_env(services[name])), name
    assert referenced <= set(instance["run_launcher"]["config"]["env_vars"])
    env = service_env(services["webserver"])
    assert env["DAGSTER_PG_HOST"] == "postgres" and "postgres" in services
    assert postgres_db["port"] == 5432
    # the database the postgres service creates is the one the instance opens
    server = service_env(services["postgres"])
    for server_var, client_var in (("POSTGRES_USER", "DAGSTER_PG_USER"), ("POSTGRES_PASSWORD", "DAGSTER_PG_PASSWORD"), ("POSTGRES_DB", "DAGSTER_PG_DB")):
        assert server[server_var] == env[client_var], (server_var, client_var)
        ((variable, _, _),) = interpolations(server[server_var])
        assert variable == client_var
    # the password has no default: compose refuses to start without one
    ((_, operator, _),) = interpolations(env["DAGSTER_PG_PASSWORD"])
    assert operator == ":?"
    for name in ("webserver", "daemon", "user-code"):
        for variable in referenced:
            assert service_env(services[name])[variable] == env[variable], (name, variable)


def test_runs_get_the_code_servers_environment():
    services = compose()["services"]
    config = load_yaml(INSTANCE)["run_launcher"]["config"]
    passed = config["env_vars"]
    assert len(passed) == len(set(passed))
    assert all("=" not in name for name in passed), "values belong in the environment, not in the instance"
    user_code_env = service_env(services["user-code"])
    # a run sees exactly what the code server that loaded its definitions sees
    code_server_only = set(user_code_env) - {"DAGSTER_CURRENT_IMAGE"} - set(passed)
    runs_only = set(passed) - set(user_code_env)
    assert not code_server_only and not runs_only, f"code server only: {sorted(code_server_only)}, runs only: {sorted(runs_only)}"
    # the launcher reads each passed variable from its own process: webserver and daemon must set all
    for name in ("webserver", "daemon"):
        missing = set(passed) - set(service_env(services[name]))
        assert not missing, f"{name} lacks {sorted(missing)}: launching a run would fail"
    # nothing misspelt: every variable is one the code reads (or the instance's own)
    known = env_vars_read_by_code() | {"DAGSTER_PG_HOST", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB"}
    assert set(passed) <= known, sorted(set(passed) - known)
    # the data volume: mounted where NBA_DATA_DIR points, in the code server and in every run
    stack = compose()
    volume_names = {key: (value or {}).get("name", key) for key, value in stack["volumes"].items()}
    data_dir = user_code_env["NBA_DATA_DIR"]
    (run_volume,) = config["container_kwargs"]["volumes"]
    name, path = run_volume.split(":")[:2]
    assert path == data_dir
    assert name in volume_names.values(), f"run containers mount {name!r}, which the stack does not declare"
    (key,) = [k for k, v in volume_names.items() if v == name]
    assert f"{key}:{data_dir}" in services["user-code"]["volumes"]
    assert "DAGSTER_CURRENT_IMAGE" in user_code_env


def test_compose_settings_load_in_the_code_location(monkeypatch):
    """The stack's defaults (empty values for what is unset) are accepted by the platform's settings."""
    from resources.settings import resource_defs

    env = service_env(compose()["services"]["user-code"])
    for variable, value in env.items():
        resolved = INTERPOLATION.sub(lambda m: (m.group(3) or "") if (m.group(2) or "").endswith("-") else "x", value)
        monkeypatch.setenv(variable, resolved)
    resources = resource_defs()
    assert {"io_manager", "balldontlie", "odds_api", "landing", "model_store", "exports", "alerts"} <= set(resources)
    assert resources["landing"].data_dir == env["NBA_DATA_DIR"]


def test_compose_and_env_template_hold_no_secret():
    secret_names = secret_env_vars() | {"DAGSTER_PG_PASSWORD"}
    services = compose()["services"]
    for name, service in services.items():
        for variable, value in service_env(service).items():
            if variable in secret_names or variable == "POSTGRES_PASSWORD":
                found = interpolations(value)
                assert len(found) == 1 and found[0][0] in secret_names and value == f"${{{found[0][0]}{found[0][1]}{found[0][2]}}}", (
                    f"{name}.{variable} must be taken from the environment, not written in the file"
                )
                assert found[0][1] == ":?" or found[0][2] == "", f"{name}.{variable} has a default value"
    template = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            variable, _, value = line.partition("=")
            template[variable.strip()] = value.strip()
    for variable in secret_names:
        assert template.get(variable, "") == "", f"{ENV_EXAMPLE.name} gives {variable} a value"
    # the template lists every variable the stack reads from the environment
    wanted = {v for s in services.values() for value in service_env(s).values() for v, _, _ in interpolations(value)}
    wanted |= {v for s in services.values() for v, _, _ in interpolations(json.dumps(s.get("ports", [])) + str(s.get("image", "")))}
    assert wanted <= set(template), sorted(wanted - set(template))


# ---------------------------------------------------------------------------------------------
# the Dagster instance of the compose stack


@pytest.fixture
def docker_instance_home(tmp_path, monkeypatch):
    for variable in ("DAGSTER_PG_HOST", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB"):
        monkeypatch.setenv(variable, "placeholder")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(INSTANCE, home / "dagster.yaml")
    return home


def _rehydrate(section: dict):
    from dagster._serdes.config_class import ConfigurableClassData

    return ConfigurableClassData(section["module"], section["class"], yaml.safe_dump(section.get("config") or {})).rehydrate(as_type=object)


def test_docker_instance_is_valid_dagster_instance_config(docker_instance_home):
    """The whole file against Dagster 1.13.27's instance schema, then each class with its own config.

    The storage is validated by the schema (`storage.postgres` is typed by the instance schema itself);
    the instance is not constructed, which would connect to Postgres. The run launcher is checked
    in the next test (it needs dagster-docker).
    """
    from dagster._core.instance.config import dagster_instance_config
    from dagster._core.run_coordinator import QueuedRunCoordinator
    from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager

    config, custom_class = dagster_instance_config(str(docker_instance_home))
    assert custom_class is None
    assert config["storage"]["postgres"]["postgres_db"]["scheme"] == "postgresql+psycopg2"
    coordinator = _rehydrate(config["run_coordinator"])
    assert isinstance(coordinator, QueuedRunCoordinator)
    assert isinstance(_rehydrate(config["compute_logs"]), NoOpComputeLogManager)
    # the run limits are the instance's `concurrency.runs` (not the coordinator's config) and the
    # `duckdb` pool of every warehouse-writing asset is limited to one step at a time
    assert config["concurrency"]["pools"]["default_limit"] == 1
    assert config["concurrency"]["runs"]["max_concurrent_runs"] >= 1
    pools = {m for path in _sources() for m in re.findall(r"pool=\"([^\"]+)\"", path.read_text())}
    assert pools == {"duckdb"}, "a new pool: give it a limit in the instance files or rely knowingly on default_limit"
    tag_keys = {limit["key"] for limit in config["concurrency"]["runs"]["tag_concurrency_limits"]}
    from nba_assets.automation.sensors import RECONCILE_TAG

    assert {"dagster/backfill", RECONCILE_TAG} <= tag_keys


def test_docker_instance_rejects_run_limits_in_two_places(docker_instance_home):
    """Why the limits are under `concurrency.runs`: Dagster refuses them in the coordinator too."""
    from dagster._core.errors import DagsterInvalidConfigError
    from dagster._core.instance.config import dagster_instance_config

    config = load_yaml(INSTANCE)
    config["run_coordinator"]["config"]["max_concurrent_runs"] = 4
    (docker_instance_home / "dagster.yaml").write_text(yaml.safe_dump(config))
    with pytest.raises(DagsterInvalidConfigError, match="max_concurrent_runs"):
        dagster_instance_config(str(docker_instance_home))


def test_docker_run_launcher_config(docker_instance_home):
    try:
        import dagster_docker  # noqa: F401
    except ImportError:
        pytest.skip(
            "dagster-docker is not installed in this environment (only the images install it: Dockerfile, "
            "deploy/Dockerfile.dagster): DockerRunLauncher's own config schema is not checked; the rest of "
            "dagster.docker.yaml is (test_docker_instance_is_valid_dagster_instance_config). Add "
            "dagster-docker==0.29.27 to the dev extra to run this test."
        )
    from dagster._config import validate_config
    from dagster._core.instance.config import dagster_instance_config
    from dagster_docker import DockerRunLauncher

    config, _ = dagster_instance_config(str(docker_instance_home))
    section = config["run_launcher"]
    result = validate_config(DockerRunLauncher.config_type(), section["config"])
    assert result.success, result.errors
    launcher = _rehydrate(section)
    assert isinstance(launcher, DockerRunLauncher)
    assert launcher.networks == ["nba-assets-network"]
    assert launcher.container_kwargs["volumes"] == ["nba-assets-data:/opt/dagster/data"]


# ---------------------------------------------------------------------------------------------
# the Helm values


def test_helm_values_match_the_schema():
    schema = json.loads(VALUES_SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(values()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


@pytest.mark.parametrize(
    "mistake",
    [
        "dagsterDeamon",  # misspelt top-level section
        "postgresqlPassword",  # a password literal
        "resource limit",  # `limit:` instead of `limits:`
        "concurrency maxConcurrentRun",
        "env lower-case",
        "tag limit value",
        "secretKeyRef without key",
        "run launcher typo",
    ],
)
def test_helm_schema_catches_mistakes(mistake):
    schema = json.loads(VALUES_SCHEMA.read_text())
    broken = copy.deepcopy(values())
    deployment = user_deployment(broken)
    if mistake == "dagsterDeamon":
        broken["dagsterDeamon"] = broken.pop("dagsterDaemon")
    elif mistake == "postgresqlPassword":
        broken["postgresql"]["postgresqlPassword"] = "hunter2"
    elif mistake == "resource limit":
        resources = broken["runLauncher"]["config"]["k8sRunLauncher"]["resources"]
        resources["limit"] = resources.pop("limits")
    elif mistake == "concurrency maxConcurrentRun":
        broken["concurrency"]["runs"]["maxConcurrentRun"] = broken["concurrency"]["runs"].pop("maxConcurrentRuns")
    elif mistake == "env lower-case":
        deployment["env"]["nba_source"] = "http"
    elif mistake == "tag limit value":
        broken["concurrency"]["runs"]["tagConcurrencyLimits"][0]["limit"] = "two"
    elif mistake == "secretKeyRef without key":
        deployment["env"] = [{"name": "ODDS_API_KEY", "valueFrom": {"secretKeyRef": {"name": "nba-assets-api-keys"}}}]
    elif mistake == "run launcher typo":
        broken["runLauncher"]["config"]["k8sRunLauncher"]["envSecret"] = [{"name": "x"}]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken)), f"{mistake} passed the schema"


def test_helm_user_deployment_serves_the_code_location():
    module, _ = code_location()
    helm_values = values()
    deployment = user_deployment(helm_values)
    assert helm_values["dagster-user-deployments"]["enabled"] and helm_values["dagster-user-deployments"]["enableSubchart"]
    assert option(deployment["codeServerArgs"], "-m") == module
    (cmd,) = [exec_form(a) for k, a in dockerfile_instructions(DOCKERFILE) if k == "CMD"]
    assert deployment["port"] == int(option(cmd, "-p"))
    # env, secrets and the data volume reach every run pod; resources do not (they would
    # override the run launcher's)
    assert deployment["includeConfigInLaunchedRuns"]["enabled"] is True
    assert "resources" not in deployment
    env = deployment["env"]
    assert isinstance(env, dict)
    known = env_vars_read_by_code()
    assert set(env) <= known, sorted(set(env) - known)
    # production: BigQuery, GCS, the real APIs
    assert env["NBA_WAREHOUSE"] == "bigquery" and env["NBA_SOURCE"] == "http"
    assert env["NBA_MODEL_STORE"] == "gcs" and env["NBA_EXPORT_STORE"] == "gcs"
    # the data volume is the PVC of deploy/helm, mounted where NBA_DATA_DIR points
    pvc = load_yaml(PVC)
    assert pvc["kind"] == "PersistentVolumeClaim" and pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    (volume,) = deployment["volumes"]
    (mount,) = deployment["volumeMounts"]
    assert volume["persistentVolumeClaim"]["claimName"] == pvc["metadata"]["name"]
    assert mount["name"] == volume["name"] and mount["mountPath"] == env["NBA_DATA_DIR"]
    image_env = " ".join(a for k, a in dockerfile_instructions(DOCKERFILE) if k == "ENV")
    assert f"NBA_DATA_DIR={env['NBA_DATA_DIR']}" in image_env, "the image and the values disagree on NBA_DATA_DIR"
    # Workload Identity rather than a key file
    annotations = helm_values["dagster-user-deployments"]["serviceAccount"]["annotations"]
    assert annotations["iam.gke.io/gcp-service-account"].endswith(".iam.gserviceaccount.com")
    assert "GOOGLE_APPLICATION_CREDENTIALS" not in env


def test_helm_settings_load_in_the_code_location(monkeypatch):
    """The production env of the values is accepted by the platform's settings (BigQuery, GCS)."""
    from resources.settings import resource_defs

    for variable in env_vars_read_by_code():
        monkeypatch.delenv(variable, raising=False)
    for variable, value in user_deployment(values())["env"].items():
        monkeypatch.setenv(variable, value)
    resources = resource_defs()
    assert type(resources["io_manager"]).__name__ == "WarehouseBigQueryIOManager"
    assert resources["model_store"].gcs_bucket and resources["exports"].gcs_bucket


def test_helm_secrets_come_only_from_kubernetes_secrets():
    helm_values = values()
    secret_names = secret_env_vars() | {"DAGSTER_PG_PASSWORD"}
    deployment = user_deployment(helm_values)
    assert not secret_names & set(deployment["env"]), "API keys belong in the Secret, not in env"
    assert deployment["envSecrets"] and all(set(s) <= {"name", "optional"} for s in deployment["envSecrets"])
    # Postgres password: the Secret named by global.postgresqlSecretName, never a value
    assert helm_values["generatePostgresqlPasswordSecret"] is False
    assert helm_values["global"]["postgresqlSecretName"]
    assert "postgresqlPassword" not in helm_values["postgresql"]
    # the only secret-sounding keys with a value are names of Kubernetes Secrets
    for path, _value in string_leaves(helm_values):
        key = re.sub(r"\[\d+\]", "", path.split(".")[-1])
        if re.search(r"(?i)password|secret|token|api_?key|webhook|credential", key):
            assert key == "postgresqlSecretName", f"{path} looks like a secret value"
        if re.search(r"(?i)envSecrets\[\d+\]$", path.rsplit(".", 1)[0]):
            assert key in ("name", "optional"), path


def test_helm_run_launcher_resources_and_jobs():
    launcher = values()["runLauncher"]
    assert launcher["type"] == "K8sRunLauncher"
    config = launcher["config"]["k8sRunLauncher"]
    resources = config["resources"]
    for kind, memory in (("cpu", False), ("memory", True)):
        request = quantity(resources["requests"][kind], memory)
        limit = quantity(resources["limits"][kind], memory)
        assert 0 < request <= limit, (kind, request, limit)
    assert quantity(resources["limits"]["memory"], True) >= 2 * 2**30, "CatBoost training wants at least 2Gi"
    assert config["runK8sConfig"]["jobSpecConfig"]["backoffLimit"] == 0
    for section in ("dagsterWebserver", "dagsterDaemon"):
        section_resources = values()[section]["resources"]
        for kind, memory in (("cpu", False), ("memory", True)):
            assert quantity(section_resources["requests"][kind], memory) <= quantity(section_resources["limits"][kind], memory)


# What the chart writes into the instance's dagster.yaml from these values, for the sections this
# project sets (templates/helpers/instance/_postgresql.tpl, _run-coordinator.tpl and _concurrency.tpl of
# the chart). The chart's own defaults for the run coordinator (helm/dagster/values.yaml) are merged
# first, as Helm does: a null in our values deletes a default.
CHART_QUEUED_RUN_COORDINATOR_DEFAULTS = {
    "maxConcurrentRuns": None,
    "tagConcurrencyLimits": [],
    "dequeueIntervalSeconds": None,
    "dequeueUseThreads": True,
    "dequeueNumWorkers": 4,
}


def chart_instance(helm_values: dict, concurrency_aware_template: bool) -> dict:
    postgresql = helm_values["postgresql"]
    postgres_db = {
        "username": postgresql["postgresqlUsername"],
        "password": {"env": "DAGSTER_PG_PASSWORD"},
        "hostname": postgresql["postgresqlHost"],
        "db_name": postgresql["postgresqlDatabase"],
        "port": postgresql["service"]["port"],
        "params": postgresql.get("postgresqlParams", {}),
    }
    if postgresql.get("postgresqlScheme"):
        postgres_db["scheme"] = postgresql["postgresqlScheme"]
    instance = {
        section: {"module": f"dagster_postgres.{module}", "class": cls, "config": {"postgres_db": postgres_db}}
        for section, module, cls in (
            ("run_storage", "run_storage", "PostgresRunStorage"),
            ("event_log_storage", "event_log", "PostgresEventLogStorage"),
            ("schedule_storage", "schedule_storage", "PostgresScheduleStorage"),
        )
    }
    coordinator = helm_values["dagsterDaemon"]["runCoordinator"]
    assert coordinator["enabled"] and coordinator["type"] == "QueuedRunCoordinator"
    qrc = dict(CHART_QUEUED_RUN_COORDINATOR_DEFAULTS)
    for key, value in ((coordinator.get("config") or {}).get("queuedRunCoordinator") or {}).items():
        if value is None:
            qrc.pop(key, None)
        else:
            qrc[key] = value
    concurrency = helm_values.get("concurrency") or {}
    enabled = bool(concurrency.get("enabled"))
    rendered: dict = {}
    if any(value not in (None, [], "", 0, False) for value in qrc.values()):  # `compact (values ...)`
        if qrc.get("maxConcurrentRuns") is not None or not (concurrency_aware_template and enabled):
            rendered["max_concurrent_runs"] = qrc.get("maxConcurrentRuns") if qrc.get("maxConcurrentRuns") is not None else -1
        if qrc.get("tagConcurrencyLimits"):
            rendered["tag_concurrency_limits"] = qrc["tagConcurrencyLimits"]
        for key, name in (("dequeueIntervalSeconds", "dequeue_interval_seconds"), ("dequeueUseThreads", "dequeue_use_threads"), ("dequeueNumWorkers", "dequeue_num_workers")):
            if qrc.get(key):
                rendered[name] = qrc[key]
    instance["run_coordinator"] = {"module": "dagster.core.run_coordinator", "class": "QueuedRunCoordinator"}
    if rendered:
        instance["run_coordinator"]["config"] = rendered
    if enabled:
        pools, runs = concurrency.get("pools") or {}, concurrency.get("runs") or {}
        block: dict = {}
        if pools:
            block["pools"] = {
                name: pools[key]
                for key, name in (("defaultLimit", "default_limit"), ("granularity", "granularity"), ("opGranularityRunBuffer", "op_granularity_run_buffer"))
                if pools.get(key) is not None
            }
        if runs.get("maxConcurrentRuns") is not None or runs.get("tagConcurrencyLimits"):
            block["runs"] = {}
            if runs.get("maxConcurrentRuns") is not None:
                block["runs"]["max_concurrent_runs"] = runs["maxConcurrentRuns"]
            if runs.get("tagConcurrencyLimits"):
                block["runs"]["tag_concurrency_limits"] = runs["tagConcurrencyLimits"]
        instance["concurrency"] = block
    instance["telemetry"] = {"enabled": helm_values.get("telemetry", {}).get("enabled", True)}
    return instance


@pytest.mark.parametrize("concurrency_aware_template", [True, False], ids=["chart-template", "pre-fix-template"])
def test_helm_instance_is_valid_for_dagster(tmp_path, monkeypatch, concurrency_aware_template):
    """The instance the chart renders from these values loads in Dagster 1.13.27.

    Also with a chart whose run-coordinator template still writes `max_concurrent_runs: -1` whenever
    it writes a config (dagster#33225), which Dagster refuses next to `concurrency`: the values leave
    the coordinator's config empty so both render a valid instance.
    """
    from dagster._config import validate_config
    from dagster._core.instance.config import dagster_instance_config
    from dagster_postgres.run_storage import PostgresRunStorage

    helm_values = values()
    # the chart's own rule (_concurrency.tpl): the limits in one place only
    qrc = helm_values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert qrc.get("maxConcurrentRuns") is None and not qrc.get("tagConcurrencyLimits")
    instance = chart_instance(helm_values, concurrency_aware_template)
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", "placeholder")
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(instance))
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["concurrency"]["pools"]["default_limit"] == 1
    assert config["concurrency"]["runs"]["max_concurrent_runs"] >= 1
    assert "config" not in config["run_coordinator"]
    storage = validate_config(PostgresRunStorage.config_type(), config["run_storage"]["config"])
    assert storage.success, storage.errors
    assert config["run_storage"]["config"]["postgres_db"]["scheme"] == "postgresql+psycopg2"
    assert _rehydrate(config["run_coordinator"]).__class__.__name__ == "QueuedRunCoordinator"
    # the limits agree with the compose stack's where they must: pools at 1, the same tag keys
    docker = load_yaml(INSTANCE)["concurrency"]
    assert docker["pools"] == config["concurrency"]["pools"]
    key = lambda limit: (limit["key"], json.dumps(limit.get("value"), sort_keys=True))  # noqa: E731
    assert sorted(map(key, docker["runs"]["tag_concurrency_limits"])) == sorted(map(key, config["concurrency"]["runs"]["tag_concurrency_limits"]))


def test_no_key_like_literal_in_any_deploy_file():
    for path in DEPLOY_FILES:
        text = path.read_text()
        for pattern in KEY_LIKE:
            match = pattern.search(text)
            assert not match, f"{path.relative_to(ROOT)}: {match.group(0)!r} looks like a credential"


# ---------------------------------------------------------------------------------------------
# the stack itself, when Docker runs here


def _docker_unavailable() -> str | None:
    docker = shutil.which("docker") or "/usr/local/bin/docker"
    if not Path(docker).exists():
        return "no docker client on PATH"
    try:
        info = subprocess.run([docker, "info"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"`docker info` did not answer: {error}"
    if info.returncode != 0:
        lines = (info.stderr or info.stdout).strip().splitlines()
        return f"`docker info` failed, no running Docker daemon: {lines[-1] if lines else info.returncode}"
    version = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=60)
    if version.returncode != 0:
        return "the `docker compose` plugin is missing"
    for kind, name in (("network", "nba-assets-network"), ("volume", "nba-assets-data")):
        if subprocess.run([docker, kind, "inspect", name], capture_output=True, timeout=60).returncode == 0:
            return f"a {kind} {name} exists already (a running nba-assets stack): not touching it"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_compose_stack_materialises_one_date(tmp_path):
    reason = _docker_unavailable()
    if reason:
        pytest.skip(reason)
    from dagster import DagsterRunStatus
    from dagster_graphql import DagsterGraphQLClient

    from nba_assets.definitions import defs

    docker = shutil.which("docker") or "/usr/local/bin/docker"
    port = _free_port()
    env_file = tmp_path / "nba-assets.env"
    env_file.write_text(
        "\n".join(
            [
                f"DAGSTER_PG_PASSWORD={secrets.token_hex(16)}",
                "NBA_SOURCE=simulated",
                "NBA_WAREHOUSE=duckdb",
                "NBA_CLOCK=2025-01-22T12:00:00-05:00",
                "NBA_IMAGE_TAG=deploy-test",
                f"NBA_WEBSERVER_PORT={port}",
            ]
        )
        + "\n"
    )
    env_file.chmod(0o600)
    base = [docker, "compose", "-f", str(COMPOSE), "--env-file", str(env_file), "-p", "nba-assets-deploy-test"]

    def run(*args, timeout=900, check=True):
        return subprocess.run([*base, *args], capture_output=True, text=True, timeout=timeout, check=check)

    try:
        run("build", timeout=3600)
        run("up", "-d", "--wait", "--wait-timeout", "600", "postgres", "user-code", "webserver")
        # the schedules and sensors start RUNNING: stop them before the daemon starts, so the one run
        # under test is the only one
        repository = defs.get_repository_def()
        for sensor in repository.sensor_defs:
            run("exec", "-T", "webserver", "dagster", "sensor", "stop", sensor.name, "-w", "workspace.yaml", check=False)
        for schedule in repository.schedule_defs:
            run("exec", "-T", "webserver", "dagster", "schedule", "stop", schedule.name, "-w", "workspace.yaml", check=False)
        run("up", "-d", "--wait", "--wait-timeout", "300", "daemon")

        client = DagsterGraphQLClient("127.0.0.1", port_number=port)
        run_id = client.submit_job_execution(
            "__ASSET_JOB",
            repository_location_name=code_location()[1],
            asset_selection=["raw_games"],
            tags={"dagster/partition": "2025-01-20"},
        )
        deadline = time.monotonic() + 1200
        status = client.get_run_status(run_id)
        while status not in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED):
            assert time.monotonic() < deadline, f"run {run_id} still {status} after 20 minutes"
            time.sleep(5)
            status = client.get_run_status(run_id)
        assert status == DagsterRunStatus.SUCCESS, run("logs", "--no-color", "daemon", "webserver", check=False).stdout[-5000:]
        # the run container wrote the shared volume's warehouse, which the code server sees
        count = run(
            "exec", "-T", "user-code", "python", "-c",
            "import duckdb, os; c = duckdb.connect(os.environ['NBA_DATA_DIR'] + '/warehouse.duckdb', read_only=True); "
            "print(c.execute(\"select count(*) from nba.raw_games where game_date = '2025-01-20'\").fetchone()[0])",
        ).stdout.strip()
        assert int(count) > 0
    finally:
        run("down", "-v", "--remove-orphans", timeout=600, check=False)
        containers = subprocess.run(
            [docker, "ps", "-aq", "--filter", "label=nba-assets/component=run"], capture_output=True, text=True, timeout=60
        ).stdout.split()
        if containers:
            subprocess.run([docker, "rm", "-f", *containers], capture_output=True, timeout=300)
        for kind, name in (("volume", "nba-assets-data"), ("volume", "nba-assets-postgres"), ("network", "nba-assets-network")):
            subprocess.run([docker, kind, "rm", name], capture_output=True, timeout=60)
