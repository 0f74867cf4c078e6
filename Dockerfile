# One image for the gateway, the worker and the sandbox; the command picks the process:
#   docker run IMAGE gateway/main.ts | worker/main.ts | sandbox/main.ts | scripts/setup-namespace.ts
# Runs the TypeScript sources with tsx, as ./temporal-dev.sh does; the workflow bundle is built here,
# so a worker starts without bundling.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN node --import tsx scripts/bundle-workflows.ts /app/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/workflow-bundle.js
# The sandbox database lives in a volume mounted here.
RUN mkdir -p /data && chown node:node /data
USER node
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["gateway/main.ts"]
