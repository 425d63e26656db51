# Mamori: production image. Node runs the TypeScript sources directly (built-in type stripping),
# so there is no build stage: one stage installs production dependencies, the final one copies them.
# A test (tests/deploy/dockerfile.test.ts) runs these same steps as shell commands so they cannot rot.

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY webhooks ./webhooks
COPY flows ./flows
COPY locales ./locales
COPY web ./web
COPY assets ./assets
# The node image ships an unprivileged "node" user.
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# mamori serve stops accepting on SIGTERM, finishes in-flight requests, closes Redis and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "bin/mamori.js", "serve"]
