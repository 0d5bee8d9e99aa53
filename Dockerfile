# One image for every role (worker, web, migrate); docker-compose.yml picks the command.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Dependencies first (cached layer); postinstall generates the Prisma client from the schema.
COPY package.json package-lock.json prisma.config.ts ./
COPY bin/package.json bin/package.json
COPY prisma prisma
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
USER node
EXPOSE 3000
CMD ["npm", "run", "web"]
