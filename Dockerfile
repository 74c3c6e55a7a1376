# One image for the Slack app, the workers and the CLI, in two stages: the TypeScript is compiled with the dev
# dependencies, and the runtime image holds the production dependencies and the compiled JavaScript only (no
# TypeScript, no tsx). Node 22 LTS here; the code also runs on Node 20.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY samples ./samples
COPY --from=build /app/dist ./dist
# AWS's IP ranges live in a volume that starts as a copy of this directory: owned by the user the processes run as,
# so the init service can write the file there.
RUN mkdir -p /data/ip-ranges && chown node:node /data/ip-ranges
USER node
# node itself, never npm: npm does not pass SIGTERM on to its child, so `docker stop` would wait and then SIGKILL.
CMD ["node", "dist/app/main.js"]
