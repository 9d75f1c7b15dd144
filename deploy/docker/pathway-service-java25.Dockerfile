# syntax=docker/dockerfile:1
# pathway-service on Java 25 with an ahead-of-time cache (JEP 483/514/515): classes loaded and linked, and
# method profiles, from a training run of the red-flag path, so the first red flags after a start (a
# fail-over) run warm. The build still targets Java 17 (release 17): pathway-service.Dockerfile runs the
# same jar on Java 17 without a cache.
#
# Build from the repository root, after making the extracted service and its cache with the JDK this
# image runs (the cache is refused, with a warning, by any other JVM build; the service then starts as
# it would without it):
#   mvn -DskipTests package && deploy/drills/prepare && deploy/aot/train
#   docker build -f deploy/docker/pathway-service-java25.Dockerfile -t pathway/pathway-service:0.1.0-SNAPSHOT-java25 .
# deploy/aot/README.md says how to pin the JDK build and how to train in the image itself.
ARG JAVA_IMAGE=eclipse-temurin:25-jre-noble
FROM ${JAVA_IMAGE}

LABEL org.opencontainers.image.title="pathway-service" \
      org.opencontainers.image.description="Pathway: pathway-service on Java 25 with an AOT cache"

RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 pathway \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin pathway \
 && mkdir -p /opt/pathway

WORKDIR /opt/pathway
# the extracted layout (application jar + lib/), exactly as the training run used it
COPY --chown=root:root deploy/target/aot/app/ /opt/pathway/
COPY --chown=root:root --chmod=0444 deploy/target/aot/pathway-service.aot /opt/pathway/pathway-service.aot

# the cache through the java launcher's own variable, so that an orchestrator's JAVA_TOOL_OPTIONS (heap
# settings, as in deploy/k8s) does not drop it
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=30 -XX:+ExitOnOutOfMemoryError" \
    JDK_JAVA_OPTIONS="-XX:AOTCache=/opt/pathway/pathway-service.aot" \
    SERVER_PORT=8080 \
    MANAGEMENT_SERVER_PORT=8081

USER 10001:10001
EXPOSE 8080 8081

HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8081/actuator/health/readiness || exit 1

ENTRYPOINT ["java", "-jar", "/opt/pathway/pathway-service-0.1.0-SNAPSHOT-exec.jar"]
