# LivePulse image. The build stage bundles the widgets (vite); the runtime stage holds only production
# dependencies, the server source (run by tsx, as in development), the SQL migrations and the built
# bundle, and runs node itself as PID 1 so SIGTERM reaches the server (`npm start` would not pass it on,
# and would rebuild the bundle on every start).
# docker build -t livepulse .   ·   docker run -p 3000:3000 -e ADMIN_PASSWORD=… -e AUTH_SECRET=… livepulse

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json vite.config.ts ./
COPY widget ./widget
# The widgets import the wire types from here (types only, erased by the build, but resolvable).
COPY server/wire.ts ./server/wire.ts
RUN npm run build

FROM node:20-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# No dependency runs install scripts; our own patches (patches/README.md) are applied explicitly.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npx patch-package && npm cache clean --force

FROM node:20-alpine
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# NOTICE: the third-party notices of the bundles in dist/widget (Apache-2.0 asks that they travel with them).
COPY package.json tsconfig.json NOTICE ./
COPY sql ./sql
COPY server ./server
# /demo serves these pages as they are.
COPY demo ./demo
# The admin's command-line tools (e.g. `docker compose exec app npm run magic-link`).
COPY tools ./tools
COPY --from=build /app/dist ./dist
# DATA_DIR holds export files and, without DATABASE_URL, the embedded database: owned by the app user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--import", "tsx", "server/main.ts"]
