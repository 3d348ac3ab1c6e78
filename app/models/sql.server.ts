import { randomBytes } from "node:crypto";
import { directStatementsOf, type Database } from "../db.server";

/** A client or a transaction's client: what these statements need. */
type RawSql = Pick<Database, "$queryRaw" | "$executeRaw">;

// Plain SQL for the worker's batch statements, the same text on SQLite and PostgreSQL. Prisma's
// query compiler costs about a millisecond per row on a batch insert of ledger rows; these
// statements run once per row at Black-Friday volume. Everything Prisma would fill in is filled
// in here: ids (see newRowId), timestamps (as Prisma stores them: the adapters convert
// a Date value) and @updatedAt.

/**
 * SQL assembled from text and values. It is sent as a tagged template, so each client binds
 * the values in its own placeholder style; the PostgreSQL client's Prisma.sql is another
 * runtime's class, so fragments made with @prisma/client's would not be recognised there.
 */
export class SqlStatement {
  private readonly strings: string[] = [""];
  private readonly values: unknown[] = [];

  text(text: string) {
    this.strings[this.strings.length - 1] += text;
    return this;
  }

  value(value: unknown) {
    this.values.push(value);
    this.strings.push("");
    return this;
  }

  /** The values separated by commas. */
  list(values: readonly unknown[]) {
    values.forEach((value, index) => (index === 0 ? this : this.text(", ")).value(value));
    return this;
  }

  /**
   * Rows of values as the body of a derived table (SELECT … AS "a", … UNION ALL SELECT …), the
   * same text on SQLite and PostgreSQL, which name a VALUES list's columns differently. A column
   * with a type is cast to it: PostgreSQL takes an untyped parameter there for text.
   */
  selectRows(
    columns: ReadonlyArray<{ name: string; type?: string }>,
    rows: ReadonlyArray<ReadonlyArray<unknown>>,
  ) {
    rows.forEach((row, rowIndex) => {
      this.text(rowIndex === 0 ? "SELECT " : " UNION ALL SELECT ");
      columns.forEach(({ name, type }, index) => {
        if (index > 0) this.text(", ");
        if (type) this.text("CAST(").value(row[index]).text(` AS ${type})`);
        else this.value(row[index]);
        this.text(` AS "${name}"`);
      });
    });
    return this;
  }

  /**
   * The rows it returns. A client outside a transaction runs it past Prisma, on its connection
   * (SQLite) or pool (PostgreSQL), and rows come back as the driver gives them (dates as text
   * on SQLite): read back ids.
   */
  query<T>(database: RawSql): Promise<T[]> {
    const direct = directStatementsOf(database);
    if (direct) return direct.all<T>(this.strings, this.values);
    return database.$queryRaw<T[]>(this.template(), ...this.values);
  }

  execute(database: RawSql): Promise<number> {
    return database.$executeRaw(this.template(), ...this.values);
  }

  /** The text as a tagged template's strings. */
  private template(): TemplateStringsArray {
    return Object.assign([...this.strings], { raw: [...this.strings] });
  }
}

let idSequence = 0;

/**
 * An id in the shape of the schema's cuid() (a "c", the time in base 36, a counter, random
 * characters), so rows inserted here sort by id in creation order like Prisma's: the ledger
 * breaks ties between rows created in the same millisecond by id.
 */
export function newRowId() {
  const time = Date.now().toString(36).padStart(8, "0");
  const counter = (idSequence++ % 36 ** 4).toString(36).padStart(4, "0");
  return `c${time}${counter}${randomBytes(8).toString("hex").slice(0, 12)}`;
}

// SQLite allows 32,766 values per statement and PostgreSQL 65,535; stay well inside both.
const MAX_VALUES_PER_STATEMENT = 20_000;

/**
 * Inserts rows (same columns in each; names and table from code, never from input) in as few
 * statements as the value limits allow. Run it in a transaction to make them all or none.
 */
export async function insertRows(
  database: RawSql,
  table: string,
  rows: ReadonlyArray<Record<string, unknown>>,
) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const rowsPerStatement = Math.max(1, Math.floor(MAX_VALUES_PER_STATEMENT / columns.length));
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const statement = new SqlStatement().text(
      `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES `,
    );
    rows.slice(start, start + rowsPerStatement).forEach((row, index) => {
      statement.text(index === 0 ? "(" : ", (");
      statement.list(columns.map((column) => row[column] ?? null)).text(")");
    });
    await statement.execute(database);
  }
}
