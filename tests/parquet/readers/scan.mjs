#!/usr/bin/env node
// scan.mjs FILE FILTER [index|bloom|none]: which rows hyparquet's pruning leaves to read for a
// filter (a hyparquet/MongoDB-style filter as JSON, e.g. '{"n":{"$eq":1550}}'), using the page
// index (`usePageIndex`), the Bloom filters (`useBloomFilters`) or only the row-group
// statistics. Prints {"ranges": [[rowStart, rowEnd], …], "bytes_read": N} (N: bytes fetched
// from the file after its metadata). Exit 0 on success, 1 when hyparquet fails, 2 on bad usage.
import { readFile } from 'node:fs/promises';

import { parquetMetadata, parquetScan } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const [file, filterText, mode = 'none'] = process.argv.slice(2);
if (!file || !filterText || !['index', 'bloom', 'none'].includes(mode)) {
  process.stderr.write('usage: scan.mjs FILE FILTER [index|bloom|none]\n');
  process.exit(2);
}
try {
  const bytes = await readFile(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = parquetMetadata(buffer);
  let bytesRead = 0;
  const counting = {
    byteLength: buffer.byteLength,
    slice(start, end) {
      bytesRead += (end ?? buffer.byteLength) - start;
      return buffer.slice(start, end);
    },
  };
  const scan = await parquetScan({
    file: counting,
    metadata,
    compressors,
    pruningFilter: JSON.parse(filterText),
    usePageIndex: mode === 'index',
    useBloomFilters: mode === 'bloom',
  });
  const ranges = scan.ranges.map(({ rowStart, rowEnd }) => [rowStart, rowEnd]);
  process.stdout.write(`${JSON.stringify({ ranges, bytes_read: bytesRead })}\n`);
} catch (error) {
  process.stderr.write(`scan.mjs: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
}
