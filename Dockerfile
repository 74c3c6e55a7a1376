# One image for the Slack app, the workers and the CLI. Node 22 LTS here; the code also runs on Node 20.
FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY samples ./samples
# AWS's IP ranges live in a volume that starts as a copy of this directory: owned by the user the processes run as,
# so the init service can write the file there.
RUN mkdir -p /data/ip-ranges && chown node:node /data/ip-ranges
USER node
ENV NODE_ENV=production
# node itself, never npm: npm does not pass SIGTERM on to its child, so `docker stop` would wait and then SIGKILL.
CMD ["node", "--import", "tsx", "src/app/main.ts"]
