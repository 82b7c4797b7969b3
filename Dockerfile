# Build: docker build -t email-channel .
# Run:   docker run -p 8080:8080 -e EMAIL_ADDRESS=… -e EMAIL_PASSWORD=… -e IMAP_SERVER=… -e SMTP_SERVER=… \
#               -e AGENT_URL=… -e CHANNEL_API_TOKEN=… -v email-channel-data:/app/data email-channel
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
COPY routes routes
COPY application.properties .
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app channel && mkdir -p /app/data && chown -R channel /app
WORKDIR /app
COPY --from=build /src/target/email-channel.jar /app/email-channel.jar
# starts the jar with the JIT options for the processors the container has (README, "Small machines")
COPY bin/email-channel /app/bin/email-channel
# the route files and properties stay editable: mount your own over these
COPY routes /app/routes
COPY application.properties /app/application.properties
USER channel
EXPOSE 8080
# the inbox, sessions and outbox live here (embedded H2) unless DATABASE_URL points at PostgreSQL: keep it on a volume
VOLUME /app/data
# liveness: the process answers; readiness (/observe/health/ready) is for load balancers and says whether it RUNS
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${HTTP_PORT:-8080} && printf "GET /observe/health/live HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "' 
# JVM options of your own: -e JAVA_OPTS="…" (replaces this default; keep a heap limit)
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["/app/bin/email-channel"]
