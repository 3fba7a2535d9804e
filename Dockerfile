# syncd container image: `syncd run` as a non-root user, config and mappings mounted
# read-only at /etc/syncd, state on the /var/lib/syncd volume. Secrets come from the
# environment or Docker secrets at run time, never from build arguments.

FROM python:3.11-slim-bookworm AS build
# make runs the same install step as the Makefile (`make install`).
RUN apt-get update \
    && apt-get install -y --no-install-recommends make=4.3-4.1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The sandbox (sandbox/, the [sandbox] extra) is for demos and tests: it is not copied.
COPY pyproject.toml README.md Makefile requirements-test.txt ./
COPY _build ./_build
COPY mappings ./mappings
COPY syncd ./syncd
COPY connectors ./connectors
RUN make install VENV=/opt/syncd PKG=.

FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 syncd \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/syncd syncd \
    && mkdir -p /etc/syncd /var/lib/syncd && chown 10001:10001 /var/lib/syncd
COPY --from=build /opt/syncd /opt/syncd
COPY mappings /etc/syncd/mappings
COPY config.example.toml /etc/syncd/config.example.toml
ENV PATH="/opt/syncd/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    SYNCD_CONFIG=/etc/syncd/config.toml
USER 10001:10001
WORKDIR /var/lib/syncd
VOLUME ["/var/lib/syncd"]
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["syncd", "healthcheck", "--max-age", "120"]
ENTRYPOINT ["syncd"]
CMD ["run"]
