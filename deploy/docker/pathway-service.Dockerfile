# syntax=docker/dockerfile:1
# pathway-service: the engine with Tasklist, Cockpit and Admin, the inbound consumers and the outbox relay.
# Copies the executable jar Maven built; build from the repository root:
#   mvn -DskipTests package
#   docker build -f deploy/docker/pathway-service.Dockerfile -t pathway/pathway-service:0.1.0-SNAPSHOT .
# pathway-service.Dockerfile.dockerignore keeps the build context down to that one jar.
FROM eclipse-temurin:17-jre-noble

ARG JAR_FILE=pathway-service/target/pathway-service-0.1.0-SNAPSHOT-exec.jar

LABEL org.opencontainers.image.title="pathway-service" \
      org.opencontainers.image.description="Pathway: pathway-service"

# curl for the health check; a fixed non-root user (numeric, so Kubernetes can verify runAsNonRoot)
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 pathway \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin pathway \
 && mkdir -p /opt/pathway

WORKDIR /opt/pathway
COPY --chown=root:root --chmod=0444 ${JAR_FILE} /opt/pathway/app.jar

# Heap as a share of the container's memory limit (the JVM reads the cgroup limit), leaving the
# rest for metaspace, threads and direct buffers; fail fast on OOM so the orchestrator restarts.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=30 -XX:+ExitOnOutOfMemoryError" \
    SERVER_PORT=8080 \
    MANAGEMENT_SERVER_PORT=8081

USER 10001:10001

# 8080: HTTP; 8081: management (health, readiness, Prometheus)
EXPOSE 8080 8081

HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8081/actuator/health/readiness || exit 1

ENTRYPOINT ["java", "-jar", "/opt/pathway/app.jar"]
