# syntax=docker/dockerfile:1
# SIR Rewards for Shopify, production image (docs/production.md). Three stages: the
# dependencies, with the tools better-sqlite3 needs to compile; the build; and the runtime, with
# production dependencies only, run as the unprivileged `node` user.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# What `npm ci` reads, including the postinstall that generates both Prisma clients.
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci

FROM deps AS build
COPY . .
RUN npm run build

FROM deps AS production-deps
RUN npm ci --omit=dev && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# CHECKPOINT_DISABLE: Prisma's CLI (the migrations) sends no telemetry from production.
ENV NODE_ENV=production \
    CHECKPOINT_DISABLE=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/data/sir-rewards.sqlite
WORKDIR /app
# The code belongs to root and is read-only to the app; only /data (SQLite, if used) is its own.
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY package.json server.mjs ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# Liveness: the process answers (readiness, /readyz, is for the load balancer).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `npm start`'s command (package.json), run by node itself as PID 1 so SIGTERM reaches the
# server's graceful shutdown: refuses without ENCRYPTION_KEY, migrates, then serves.
CMD ["node", "--max-old-space-size=160", "--max-semi-space-size=8", "server.mjs", "--migrate"]
