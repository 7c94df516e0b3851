import { type Column, getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';

/**
 * Many rows as one statement parameter: the rows travel as one JSON text and are read back as a typed
 * record set (`json_to_recordset`, the same on PostgreSQL and PGlite). Writing a thousand rows is then
 * one short statement with one parameter, which the server plans once, instead of a statement with a
 * parameter per value that the query builder assembles value by value (most of a bulk write's time).
 *
 * `columns` lists the columns in order (for `insert into t (…) select … from …`); `source` is the record
 * set, aliased `alias`, with each column typed as in the table. Dates travel as ISO strings and jsonb
 * values as nested JSON, which the record set turns back into timestamptz and jsonb.
 */
export function recordset<T extends Table, K extends keyof T['$inferInsert'] & string>(
  table: T,
  keys: readonly K[],
  rows: readonly Partial<T['$inferInsert']>[],
  alias = 'r',
): { columns: SQL; source: SQL; names: string[] } {
  const all = getTableColumns(table) as Record<string, Column>;
  const columns = keys.map((key) => {
    const column = all[key];
    if (!column) throw new Error(`recordset: ${key} is not a column`);
    return column;
  });
  const json = JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [i, column] of columns.entries()) {
        out[column.name] = (row as Record<string, unknown>)[keys[i] as string] ?? null;
      }
      return out;
    }),
  );
  const types = columns.map((c) => sql`${sql.identifier(c.name)} ${sql.raw(valueType(c))}`);
  return {
    columns: sql.join(
      columns.map((c) => sql.identifier(c.name)),
      sql`, `,
    ),
    source: sql`json_to_recordset(${json}::json) as ${sql.identifier(alias)}(${sql.join(types, sql`, `)})`,
    names: columns.map((c) => c.name),
  };
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
