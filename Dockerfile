# syntax=docker/dockerfile:1
# mj-seed-bot. Three stages: build dist/ with the dev dependencies, install the production dependencies alone, and a
# runtime image with only those two, run as the unprivileged `node` user. test/production-install.test.ts runs the
# same steps on a machine without Docker (a production install in a temporary folder, started from dist/).
#   docker build -t mj-seed-bot .        docker compose up -d        (see README: "Running it as a service")
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS toolchain
# sqlite3 compiles its native addon when no prebuilt binary fits this platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY commands commands
RUN npm run build

FROM toolchain AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    STORAGE_URL=sqlite:///data/seed-bot.sqlite \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=3000
WORKDIR /app
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
# The SQLite file (0600) lives in the volume, owned by the user the bot runs as.
RUN mkdir /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers 200 only while the gateway is connected and storage answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HTTP_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: the bot stores what it cannot finish and exits within 10 s (Docker's default grace).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
