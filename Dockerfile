# One image for every Marquee service; docker-compose.yml picks the service by its command.
FROM node:20-bookworm-slim
WORKDIR /app
# better-sqlite3 builds from source where no prebuilt binary fits; ffmpeg probes and encodes;
# nginx sends the origin's and the edges' files (EDGE_SERVE_WITH=nginx), and its njs module checks
# content tokens on a hit without a trip through Node.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ffmpeg nginx libnginx-mod-http-js \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY domain/package.json domain/
COPY platform/package.json platform/
COPY read-models/package.json read-models/
COPY projections/package.json projections/
COPY query-api/package.json query-api/
COPY command-api/package.json command-api/
COPY encoder-workers/package.json encoder-workers/
COPY edge-node/package.json edge-node/
COPY player/package.json player/
COPY bench/package.json bench/
COPY e2e/package.json e2e/
RUN npm install --no-fund --no-audit
COPY . .
RUN npx turbo run build --filter=@marquee/player
# The services run as the image's unprivileged user. Named volumes mounted on these folders start
# with the folder's owner, so node can write its data, the origin's packages and an edge's.
RUN mkdir -p /app/data /app/origin /app/edge && chown node:node /app/data /app/origin /app/edge
USER node
ENV DATA_DIR=/app/data
VOLUME ["/app/data"]
CMD ["npm", "start"]
