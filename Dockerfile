# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev toolchain.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY client/package.json ./client/
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json openapi.yaml ./
COPY src ./src
COPY web ./web
COPY migrations ./migrations
COPY bench ./bench
# The page's API types are the client's generated ones (web/tsconfig.json).
COPY client/src/generated ./client/src/generated
RUN npm run build

# Runtime stage: production dependencies and compiled JavaScript only.
FROM node:24-slim AS runtime
WORKDIR /app
# TESTAPI_ENV=test: the service refuses production environments by design.
ENV TESTAPI_ENV=test \
    HOST=0.0.0.0 \
    PORT=3000
COPY package.json package-lock.json ./
COPY client/package.json ./client/
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY openapi.yaml ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/server.js"]
