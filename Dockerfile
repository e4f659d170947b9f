# syntax=docker/dockerfile:1
# The Ramp controller image. Build: docker build -t ramp-controller:0.1.0 .
# Stage 1 installs the workspace with the lockfile and compiles the TypeScript; stage 2 holds only the
# controller's production dependencies (pnpm deploy) and runs as the non-root `node` user (uid 1000).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# pnpm at the version package.json's packageManager names
RUN corepack enable
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm exec tsc -b packages/controller
# The controller with its production dependencies only (the workspace packages as built copies).
RUN pnpm --filter @ramp/controller deploy --prod --legacy /out

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out /app/packages/controller
USER 1000:1000
# 8090: /metrics; 8080: /healthz and /readyz
EXPOSE 8090 8080
ENTRYPOINT ["node", "packages/controller/dist/main.js"]
