import { type Column, getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';

/**
 * Many rows as a few statement parameters: each column travels as one text array and the rows are read
 * back with `unnest` (the same on PostgreSQL and PGlite), each array cast to its column's type. Writing a
 * thousand rows is then one short statement with a parameter per column, which the server plans once,
 * instead of a statement with a parameter per value that the query builder assembles value by value (most
 * of a bulk write's time). Arrays rather than one JSON text of the rows: the server reads about half the
 * bytes (no key per value) and no JSON, which was a tenth of the server's time in a first sync
 * (bench/sync.ts).
 *
 * `columns` lists the columns in order (for `insert into t (…) select … from …`); `source` is the record
 * set, aliased `alias`, with each column typed as in the table. Values are converted as drizzle converts
 * them for an INSERT (dates to ISO text, jsonb to JSON text) and sent as text: both drivers send a text
 * array as it is, where a JS array of dates, booleans or bigints would be typed by its first element.
 *
 * `keyIn(alias, key)` is `alias.column = any(the set's values of key)`, to put beside a join of the set
 * with a table: `unnest` tells the planner its true row count, and with a thousand rows against a large
 * table it hashed the whole table for each batch (a 100,000-bill re-sync: 133 ms per batch to find
 * repeats, 17 ms with the keys named; the orders update of a first sync against 100,000 orders: 26 ms,
 * 6 ms with them).
 */
export function recordset<T extends Table, K extends keyof T['$inferInsert'] & string>(
  table: T,
  keys: readonly K[],
  rows: readonly Partial<T['$inferInsert']>[],
  alias = 'r',
): { columns: SQL; source: SQL; names: string[]; keyIn: (alias: string, key: K) => SQL } {
  const all = getTableColumns(table) as Record<string, Column>;
  const columns = keys.map((key) => {
    const column = all[key];
    if (!column) throw new Error(`recordset: ${key} is not a column`);
    return column;
  });
  const arrays = columns.map((column, i) => {
    const key = keys[i] as string;
    const values = rows.map((row) => textValue(column, (row as Record<string, unknown>)[key]));
    return sql`${sql.param(values)}::text[]::${sql.raw(valueType(column))}[]`;
  });
  const names = columns.map((c) => sql.identifier(c.name));
  return {
    columns: sql.join(names, sql`, `),
    source: sql`unnest(${sql.join(arrays, sql`, `)}) as ${sql.identifier(alias)}(${sql.join(names, sql`, `)})`,
    names: columns.map((c) => c.name),
    keyIn: (tableAlias, key) => {
      const at = keys.indexOf(key);
      return sql`${sql.identifier(tableAlias)}.${names[at]} = any(${arrays[at]})`;
    },
  };
}

/** A value as the text the column's type reads, or null. */
function textValue(column: Column, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const driver = column.mapToDriverValue(value);
  return typeof driver === 'string' ? driver : String(driver);
}

/**
 * `column = any(…)` over values sent as one JSON parameter: one short statement for any number of
 * values (drizzle's `inArray` sends one parameter per value), which the planner still answers from the
 * column's index.
 */
export function inList(column: Column, values: readonly (string | number)[]): SQL {
  return sql`${column} = any(array(select json_array_elements_text(${JSON.stringify(values)}::json)::${sql.raw(valueType(column))}))`;
}

/** The type of a column's values: a serial column holds plain integers. */
function valueType(column: Column): string {
  const type = column.getSQLType();
  return { bigserial: 'bigint', serial: 'integer', smallserial: 'smallint' }[type] ?? type;
}
