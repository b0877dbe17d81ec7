// Proves read.mjs on files DuckDB itself writes, before dataplane's writer is trusted: both
// readers must print the same rows, and those rows must be the canonical form of the values
// written (extremes of every type, NULLs, every codec, several row groups).
// Run: node --test selftest.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';

const dir = mkdtempSync(join(tmpdir(), 'readers-selftest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const kBigJson = `{"k":"${'x'.repeat(1100000)}"}`;
const kSelect = `SELECT * FROM (VALUES
  (1, '-9223372036854775808'::BIGINT, -0.0::DOUBLE, '', '{"a":1}'::JSON,
   TIMESTAMPTZ '0001-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000'::UUID, true,
   '-2147483648'::INTEGER),
  (2, 9223372036854775807::BIGINT, 'NaN'::DOUBLE, 'Ωmega-ü-日本', '${kBigJson}'::JSON,
   TIMESTAMPTZ '9999-12-31 23:59:59.999999+00', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'::UUID,
   false, 2147483647::INTEGER),
  (3, 9007199254740993::BIGINT, 'Infinity'::DOUBLE, 'a', '[]'::JSON,
   TIMESTAMPTZ '1969-12-31 23:59:59.999999+00', '0123e456-89ab-cdef-0123-456789abcdef'::UUID,
   NULL, 0::INTEGER),
  (4, NULL, '-Infinity'::DOUBLE, NULL, NULL, TIMESTAMPTZ '1970-01-01 00:00:00+00', NULL, NULL,
   NULL),
  (5, 9007199254740991::BIGINT, 0.1::DOUBLE, 'b', 'null'::JSON, NULL, NULL, true, NULL),
  (6, '-9007199254740992'::BIGINT, 5e-324::DOUBLE, 'c', '"s"'::JSON, NULL, NULL, true, NULL),
  (7, 0::BIGINT, 1.7976931348623157e308::DOUBLE, 'd', '1'::JSON, NULL, NULL, true, NULL),
  (8, 1::BIGINT, NULL, 'e', '2'::JSON, NULL, NULL, true, NULL)
) t(id, i64, d, s, j, ts, u, b, i32)`;

const kExpected = [
  [1, '-9223372036854775808', '-0.0', '', '{"a":1}', '-62135596800000000',
    '00000000-0000-0000-0000-000000000000', true, -2147483648],
  [2, '9223372036854775807', '"NaN"', 'Ωmega-ü-日本', kBigJson, '253402300799999999',
    'ffffffff-ffff-ffff-ffff-ffffffffffff', false, 2147483647],
  [3, '9007199254740993', '"Infinity"', 'a', '[]', '-1', '0123e456-89ab-cdef-0123-456789abcdef',
    null, 0],
  [4, null, '"-Infinity"', null, null, '0', null, null, null],
  [5, 9007199254740991, '0.1', 'b', 'null', null, null, true, null],
  [6, '-9007199254740992', '5e-324', 'c', '"s"', null, null, true, null],
  [7, 0, '1.7976931348623157e+308', 'd', '1', null, null, true, null],
  [8, 1, null, 'e', '2', null, null, true, null],
];

async function WriteWithDuckDB(path, select, options) {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`COPY (${select}) TO '${path}' (FORMAT parquet, ${options})`);
  conn.closeSync();
}

function Read(reader, path) {
  const out = execFileSync('node', [join(import.meta.dirname, 'read.mjs'), reader, path],
    { maxBuffer: 1 << 28, encoding: 'utf8' });
  return { text: out, doc: JSON.parse(out) };
}

// Doubles compared by their printed text: JSON.parse would fold -0.0 into 0.
function DoubleTexts(text) {
  const rows = text.slice(text.indexOf('"rows":[') + 8);
  return [...rows.matchAll(/\[\d+,(?:"-?\d+"|-?\d+|null),([^,]+),/g)].map((m) => m[1]);
}

for (const codec of ['zstd', 'snappy', 'uncompressed']) {
  test(`both readers read DuckDB's ${codec} file exactly`, async () => {
    const path = join(dir, `edge_${codec}.parquet`);
    await WriteWithDuckDB(path, `${kSelect} ORDER BY id`,
      `COMPRESSION ${codec}, ROW_GROUP_SIZE 2048, KV_METADATA {"table": 'job', "site": 'f1'}`);
    const duck = Read('duckdb', path);
    const hyp = Read('hyparquet', path);
    assert.deepEqual(duck.doc.rows, hyp.doc.rows);
    assert.deepEqual(DoubleTexts(duck.text), DoubleTexts(hyp.text));
    assert.deepEqual(DoubleTexts(duck.text), kExpected.map((r) => r[2] ?? 'null'));
    const withoutDoubles = (rows) => rows.map((r) => r.filter((_, i) => i !== 2));
    assert.deepEqual(withoutDoubles(duck.doc.rows), withoutDoubles(kExpected));
    assert.deepEqual(duck.doc.kv_metadata, [['table', 'job'], ['site', 'f1']]);
    assert.deepEqual(hyp.doc.kv_metadata, duck.doc.kv_metadata);
    const i64 = duck.doc.chunks.find((c) => c.column === 'i64');
    assert.equal(i64.null_count, 1);
    assert.equal(i64.min, '-9223372036854775808');
    assert.equal(i64.max, '9223372036854775807');
    const ts = duck.doc.chunks.find((c) => c.column === 'ts');
    assert.equal(ts.min, '-62135596800000000');
    assert.equal(ts.max, '253402300799999999');
    assert.deepEqual(hyp.doc.chunks.map((c) => [c.column, c.null_count, c.min, c.max]),
      duck.doc.chunks.map((c) => [c.column, c.null_count, c.min, c.max]));
  });
}

test('both readers agree over many row groups and dictionary pages', async () => {
  const path = join(dir, 'many.parquet');
  await WriteWithDuckDB(path, `SELECT i::BIGINT AS id, 'site-' || (i % 7) AS site,
      CASE WHEN i % 3 = 0 THEN NULL ELSE i * 1.5::DOUBLE END AS d FROM range(10500) r(i)`,
  'COMPRESSION zstd, ROW_GROUP_SIZE 1000');
  const duck = Read('duckdb', path).doc;
  const hyp = Read('hyparquet', path).doc;
  assert.equal(duck.rows.length, 10500);
  assert.deepEqual(duck.rows, hyp.rows);
  assert.deepEqual(duck.rows[10499], [10499, 'site-6', 15748.5]);
  assert.deepEqual(duck.rows[9], [9, 'site-2', null]);
  assert.ok(new Set(duck.chunks.map((c) => c.row_group_id)).size > 1);
  assert.ok(duck.chunks.some((c) => c.encodings.some((e) => e.endsWith('_DICTIONARY'))));
});

test('both readers read a file with zero rows', async () => {
  const path = join(dir, 'empty.parquet');
  await WriteWithDuckDB(path, 'SELECT 1::BIGINT AS a, \'x\' AS s WHERE false', 'COMPRESSION zstd');
  for (const reader of ['duckdb', 'hyparquet']) {
    const { doc } = Read(reader, path);
    assert.deepEqual(doc.rows, []);
    assert.deepEqual(doc.columns.map((c) => c.name), ['a', 's']);
  }
});

test('read.mjs fails loudly on a file that is not Parquet', () => {
  for (const reader of ['duckdb', 'hyparquet']) {
    assert.throws(() => Read(reader, join(import.meta.dirname, 'package.json')));
  }
});
