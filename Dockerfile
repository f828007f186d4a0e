# One image for the worker and the API (and the emulators for demos); the
# command chooses the role. Node 20 is the oldest supported runtime.
FROM node:20-bookworm-slim

# sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .
# The workflows bundled once, at build time: every worker of this image runs the same bundle, and none runs webpack at start.
RUN npm run build:workflows -- /app/dist/workflow-bundle.js
ENV NODE_ENV=production DATA_DIR=/data WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
# The processes run as node, and a new named volume takes the owner of the
# directory it is first mounted on, so every mount point docker-compose.yml
# uses exists here, owned by node, before VOLUME (moby/moby#9070,
# docker/compose#6433): /data (each container's data directory),
# /data/emulators (the emulator share, in the worker and the API) and /share
# (the same share, in the emulators).
RUN mkdir -p /data/emulators /share && chown -R node:node /data /share
VOLUME ["/data"]
USER node
CMD ["node", "--import", "tsx", "worker/main.ts"]
