import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

// One SQLite connection serves every async task of a thread. Prisma's better-sqlite3 adapter
// makes transactions wait for each other, but not plain statements: one issued by another task
// while a transaction awaits between its statements runs inside that transaction, so the
// transaction's rollback silently undoes a write its caller saw succeed, and it reads rows not
// yet committed. Here every statement outside a transaction waits for the open one to end.

type Release = () => void;

/**
 * Statements run on the connection itself, past Prisma's query engine (which costs most of a
 * millisecond per statement), still behind an open transaction. Rows come back as SQLite stores
 * them (dates as text, booleans as 0 and 1).
 */
export type DirectStatements = {
  /** The SQL as a tagged template's strings, the values between them. */
  all<T>(strings: readonly string[], values: readonly unknown[]): Promise<T[]>;
};

/** The better-sqlite3 connection inside Prisma's adapter; not part of its types. */
type BetterSqliteConnection = {
  prepare(sql: string): { all(...values: unknown[]): unknown[] };
};

/** A first-come, first-served lock for async tasks of one thread. */
function createLock(): () => Promise<Release> {
  let tail: Promise<void> = Promise.resolve();
  return () => {
    let release!: Release;
    const held = new Promise<void>((resolve) => (release = resolve));
    const acquired = tail.then(() => release);
    tail = tail.then(() => held);
    return acquired;
  };
}

class TransactionHoldingLock implements Transaction {
  readonly provider;
  readonly adapterName;
  readonly options;

  constructor(
    private readonly transaction: Transaction,
    private readonly release: Release,
  ) {
    this.provider = transaction.provider;
    this.adapterName = transaction.adapterName;
    this.options = transaction.options;
  }

  queryRaw(query: SqlQuery) {
    return this.transaction.queryRaw(query);
  }

  executeRaw(query: SqlQuery) {
    return this.transaction.executeRaw(query);
  }

  async commit() {
    try {
      await this.transaction.commit();
    } finally {
      this.release();
    }
  }

  async rollback() {
    try {
      await this.transaction.rollback();
    } finally {
      this.release();
    }
  }
}

/**
 * Prepares each SQL text once and keeps the statement, keyed by text. Few texts come here, and a
 * batch statement's text varies only with its batch size, so the map stays small.
 */
export function preparedOnce<Statement>(prepare: (sql: string) => Statement) {
  const prepared = new Map<string, Statement>();
  return (sql: string): Statement => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = prepare(sql);
      prepared.set(sql, statement);
    }
    return statement;
  };
}

// As Prisma's adapter binds them (iso8601 timestamps).
export function sqliteValue(value: unknown) {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

class ConnectionSerialisedBehindTransactions implements SqlDriverAdapter, DirectStatements {
  readonly provider;
  readonly adapterName;
  private readonly lock = createLock();
  private readonly statementFor = preparedOnce((sql) => this.sqlite.prepare(sql));

  constructor(
    private readonly connection: SqlDriverAdapter,
    private readonly sqlite: BetterSqliteConnection,
  ) {
    this.provider = connection.provider;
    this.adapterName = connection.adapterName;
  }

  all<T>(strings: readonly string[], values: readonly unknown[]): Promise<T[]> {
    const sql = strings.join("?");
    return this.exclusively(
      async () => this.statementFor(sql).all(...values.map(sqliteValue)) as T[],
    );
  }

  private async exclusively<T>(run: () => Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      return await run();
    } finally {
      release();
    }
  }

  queryRaw(query: SqlQuery) {
    return this.exclusively(() => this.connection.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.exclusively(() => this.connection.executeRaw(query));
  }

  executeScript(script: string) {
    return this.exclusively(() => this.connection.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel) {
    const release = await this.lock();
    try {
      return new TransactionHoldingLock(
        await this.connection.startTransaction(isolationLevel),
        release,
      );
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Set when Prisma has closed it (a client reconnects with a new connection). */
  disposed = false;

  dispose() {
    this.disposed = true;
    return this.connection.dispose();
  }
}

/**
 * The adapter factory's connections, each with its statements kept out of open transactions;
 * `direct()` gives the connection's DirectStatements once Prisma has connected (null before).
 */
export function serialiseBehindTransactions(
  factory: SqlDriverAdapterFactory,
): SqlDriverAdapterFactory & { direct(): DirectStatements | null } {
  let connection: ConnectionSerialisedBehindTransactions | null = null;
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      const { client } = adapter as unknown as { client?: BetterSqliteConnection };
      if (typeof client?.prepare !== "function") {
        throw new Error("Prisma's better-sqlite3 adapter no longer exposes its connection");
      }
      connection = new ConnectionSerialisedBehindTransactions(adapter, client);
      return connection;
    },
    direct: () => (connection?.disposed === false ? connection : null),
  };
}
