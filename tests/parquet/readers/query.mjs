#!/usr/bin/env node
// query.mjs SQL: runs one SQL statement in an in-memory DuckDB (the archiver's tests point it at
// an archive tree with read_parquet(..., hive_partitioning = true)) and prints the result as one
// JSON document on stdout: {"columns": [names], "rows": [[values]]}, integers as decimal strings
// (BIGINT exceeds JSON numbers), every other value as String(value), NULL as null. Exit 0 on
// success; 1 when DuckDB fails (its message on stderr); 2 on bad usage.
import { DuckDBInstance } from '@duckdb/node-api';

const [sql] = process.argv.slice(2);
if (!sql) {
  process.stderr.write('usage: query.mjs SQL\n');
  process.exit(2);
}
try {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  const reader = await conn.runAndReadAll(sql);
  const rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
  process.stdout.write(`${JSON.stringify({ columns: reader.columnNames(), rows })}\n`);
} catch (error) {
  process.stderr.write(`query.mjs: ${error?.message ?? error}\n`);
  process.exitCode = 1;
}
