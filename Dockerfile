# Multi-stage image: the build stage has every dependency, the runtime stage only the production ones
# and the compiled build, run as the unprivileged `node` user. Each stage's commands are scripts that CI
# also runs on a clean clone (scripts/ci/container-smoke.sh), since no container engine runs there.
#   docker build -t assist-storefront .
#   docker run --rm -e DATABASE_URL=… -e APP_URL=… -e ASSIST_MERCHANT_ID=… assist-storefront node scripts/run.mjs migrate
#   docker run -p 3000:3000 -e DATABASE_URL=… -e APP_URL=… … assist-storefront
# compose.yaml runs it with PostgreSQL and the cron loop.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN sh scripts/container/build.sh

FROM build AS assemble
RUN sh scripts/container/assemble.sh /app /runtime

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# HOSTNAME: Docker sets it to the container id; the server must listen on every interface instead.
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000
COPY --from=assemble --chown=node:node /runtime /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm: SIGTERM from `docker stop` must reach the server, which then stops gracefully.
CMD ["node", "scripts/run.mjs", "start"]
