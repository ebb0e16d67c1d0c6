# syntax=docker/dockerfile:1
# paperbot image. scripts/verify-image-recipe.sh performs these same steps without Docker
# (CI runs it); keep the two in step — test/ops/recipe.test.ts checks every RUN line is there.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile TypeScript to dist/ ------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY scripts ./scripts
RUN npm run build

# ---- runtime: production dependencies, compiled code, collection, index (and model) ----------
FROM ${NODE_IMAGE} AS runtime
# Default on: fetch the embedding model at build time so the container starts offline.
# --build-arg EMBEDDING_MODEL=none gives a lexical-only image.
ARG EMBEDDING_MODEL=Xenova/bge-small-en-v1.5
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    EMBEDDING_MODEL=${EMBEDDING_MODEL} \
    PAPERS_PATH=/app/data/papers.txt \
    INDEX_DIR=/app/data/index \
    MODEL_CACHE_DIR=/app/data/models \
    STATE_PATH=/data/state/paperbot.sqlite \
    HEALTH_PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY data/papers.txt ./data/papers.txt
COPY data/vocab ./data/vocab
# Builds the index, and with a model fetches it into data/models (fails the build if it cannot).
RUN node dist/src/cli/main.js ingest --require-model
RUN mkdir -p /data/state && chown -R node:node /data/state /app/data
USER node
VOLUME ["/data/state"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/index.js"]
