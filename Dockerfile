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
ENV NODE_ENV=production DATA_DIR=/data
VOLUME ["/data"]
USER node
CMD ["node", "--import", "tsx", "worker/main.ts"]
