import { defineConfig } from 'drizzle-kit';

// The sandbox gateway keeps its own store, apart from the shop's database, so it has its own migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/sandbox/schema.ts',
  out: './drizzle/sandbox',
});
