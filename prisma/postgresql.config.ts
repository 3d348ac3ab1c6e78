// Prisma CLI config for PostgreSQL. The 6.19 pg adapter cannot read the
// `name` column type during migration (prisma/prisma#27403); the 7.x adapter
// (installed under an alias) can, and is used only here, by the CLI. The app
// itself connects with the 6.19 adapter that matches @prisma/client.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "prisma-adapter-pg-migrate";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "postgresql/schema.prisma",
  async adapter() {
    // allowExitOnIdle: the CLI exits as soon as its work is done instead of
    // waiting out the pool's 10 s idle timeout.
    return new PrismaPg({
      connectionString: process.env.DATABASE_URL ?? "",
      allowExitOnIdle: true,
    });
  },
});
