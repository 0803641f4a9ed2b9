# The nba-assets user-code image: the code location `nba_assets.definitions` served over gRPC.
#
# It serves the code location (docker compose: service `user-code`; Helm: the user deployment) and
# is also the image every run is launched in (DockerRunLauncher / K8sRunLauncher start
# `dagster api execute_run ...` in it). Build from the repository root:
#
#   docker build -t nba-assets-user-code:0.1.0 .
#
# Only CMD is set, never ENTRYPOINT: the run launchers and the Helm chart replace the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DAGSTER_HOME=/opt/dagster/dagster_home \
    NBA_DATA_DIR=/opt/dagster/data \
    MPLCONFIGDIR=/tmp/matplotlib

# libgomp1: OpenMP runtime for CatBoost; kept small with --no-install-recommends.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (a layer that survives code changes), every version pinned by the
# constraints file (dagster==1.13.27 with its 0.29.27 libraries, pandas<3, ...). Runs start in this
# image and load the instance, run launcher included: hence dagster-docker (compose) and
# dagster-k8s (Helm), as Dagster's deployment guides ask of a user-code image.
COPY deploy/constraints.txt /tmp/build/constraints.txt
COPY pyproject.toml setup.py /tmp/build/
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/build/pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/build/requirements.txt \
    && pip install --constraint /tmp/build/constraints.txt --requirement /tmp/build/requirements.txt \
        dagster-docker==0.29.27 dagster-k8s==0.29.27

# Then the project itself (a regular, non-editable install: the code lives in site-packages).
COPY nba_assets /tmp/build/nba_assets
COPY resources /tmp/build/resources
RUN pip install --no-deps --constraint /tmp/build/constraints.txt /tmp/build \
    && rm -rf /tmp/build \
    && python -c "import nba_assets.definitions"

# Runs and the code server write the landing zone, alerts log (and the local DuckDB warehouse and
# models when not on BigQuery / GCS) under NBA_DATA_DIR: a volume in compose, a PVC on Kubernetes.
RUN useradd --uid 1000 --create-home --home-dir /home/dagster dagster \
    && mkdir -p /opt/dagster/app /opt/dagster/data /opt/dagster/dagster_home \
    && chown -R dagster:dagster /opt/dagster
USER dagster
WORKDIR /opt/dagster/app

EXPOSE 4000

CMD ["dagster", "code-server", "start", "-h", "0.0.0.0", "-p", "4000", "-m", "nba_assets.definitions", "--location-name", "nba_assets"]
