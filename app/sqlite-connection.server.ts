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

class ConnectionSerialisedBehindTransactions implements SqlDriverAdapter {
  readonly provider;
  readonly adapterName;
  private readonly lock = createLock();

  constructor(private readonly connection: SqlDriverAdapter) {
    this.provider = connection.provider;
    this.adapterName = connection.adapterName;
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

  dispose() {
    return this.connection.dispose();
  }
}

/** The adapter factory's connections, each with its statements kept out of open transactions. */
export function serialiseBehindTransactions(
  factory: SqlDriverAdapterFactory,
): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => new ConnectionSerialisedBehindTransactions(await factory.connect()),
  };
}
