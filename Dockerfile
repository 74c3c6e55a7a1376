# One image for the Slack app, the workers and the CLI.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY samples ./samples
USER node
ENV NODE_ENV=production
CMD ["npm", "start"]
