import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DirectStatements } from "./sqlite-connection.server";

/** The pg pool inside Prisma's PostgreSQL adapter (its underlyingDriver). */
type PgPool = {
  query(config: { text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
};

// As Prisma stores a DateTime in a timestamp(3) column: the UTC time. PostgreSQL ignores the
// "Z" of an ISO string given for a timestamp without time zone; a Date would be sent as the
// process's local time.
function pgValue(value: unknown) {
  return value instanceof Date ? value.toISOString() : value;
}

class PoolStatements implements DirectStatements {
  constructor(private readonly pool: PgPool) {}

  async all<T>(strings: readonly string[], values: readonly unknown[]): Promise<T[]> {
    const text = strings.reduce((sql, part, index) => `${sql}$${index}${part}`);
    const { rows } = await this.pool.query({ text, values: values.map(pgValue) });
    return rows as T[];
  }
}

/**
 * Prisma's PostgreSQL adapter factory, its connection's pool also given as DirectStatements:
 * statements outside a transaction run on the pool past Prisma's query engine, most of a
 * millisecond of CPU less each. Rows come back as the pg driver parses them (a timestamp as
 * a Date in the process's time zone): read back ids. `direct()` is null until Prisma connects
 * and after it disconnects.
 */
export function exposePool(
  factory: SqlDriverAdapterFactory,
): SqlDriverAdapterFactory & { direct(): DirectStatements | null } {
  let statements: PoolStatements | null = null;
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async (): Promise<SqlDriverAdapter> => {
      const adapter = await factory.connect();
      const pool = (adapter as { underlyingDriver?(): unknown }).underlyingDriver?.() as
        | PgPool
        | undefined;
      if (typeof pool?.query !== "function") {
        throw new Error("Prisma's PostgreSQL adapter no longer exposes its pool");
      }
      const current = new PoolStatements(pool);
      statements = current;
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = () => {
        if (statements === current) statements = null;
        return dispose();
      };
      return adapter;
    },
    direct: () => statements,
  };
}
