#!/usr/bin/env node
// read.mjs <duckdb|hyparquet> FILE: prints FILE as that reader reads it, as one JSON document on
// stdout (format in README.md, value forms in canonical.mjs). Exit 0 on success; 1 when the
// reader fails or meets a value it cannot put in canonical form (the reason on stderr); 2 on
// bad usage.
import { stringify } from './canonical.mjs';
import { ReadWithDuckDB } from './duckdb_reader.mjs';
import { ReadWithHyparquet } from './hyparquet_reader.mjs';

const kReaders = { duckdb: ReadWithDuckDB, hyparquet: ReadWithHyparquet };

const [readerName, file] = process.argv.slice(2);
if (!kReaders[readerName] || !file) {
  process.stderr.write('usage: read.mjs <duckdb|hyparquet> FILE\n');
  process.exit(2);
}
try {
  const doc = await kReaders[readerName](file);
  process.stdout.write(`${stringify(doc)}\n`);
} catch (error) {
  process.stderr.write(`read.mjs ${readerName}: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
}
