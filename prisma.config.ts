import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// Prisma 6.19's JavaScript schema engine, driven through the pg adapter: works without
// downloading native engines (see README, "Base de données").
// Without any DATABASE_URL the CLI falls back to downloading a native engine even for `generate`
// (e.g. at `npm install`); a placeholder keeps it on the JavaScript engine. Commands that really
// connect (migrate deploy) always get the real URL from the application.
process.env.DATABASE_URL ??= 'postgresql://localhost:5432/non-configure';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' });
  },
});
