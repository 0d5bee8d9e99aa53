# One image for every role (worker, web, migrate); docker-compose.yml picks the command.
# Node 24: the LTS line maintained until April 2028 (22 leaves maintenance in April 2027);
# `npm run check:prod-deps -- --node <node 24>` runs the production install on it.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Dependencies first (cached layer): `dependencies` only — the development servers (embedded
# PostgreSQL, MailDev, Temporal's test environment) and the test tools stay out. postinstall
# generates the Prisma client from the schema. TypeScript runs through tsx (no build step).
COPY package.json package-lock.json prisma.config.ts ./
COPY bin/package.json bin/package.json
COPY prisma prisma
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
USER node
EXPOSE 3000
CMD ["npm", "run", "web"]
