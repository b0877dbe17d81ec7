// The file as DuckDB reads it: parquet_schema, the rows of read_parquet, parquet_kv_metadata and
// per column chunk the statistics of parquet_metadata, all in the canonical form of
// canonical.mjs.
import { DuckDBInstance } from '@duckdb/node-api';

import { canonicalInt, canonicalValue } from './canonical.mjs';

const kKindOfDuckDBType = new Map([
  ['TINYINT', 'int'], ['SMALLINT', 'int'], ['INTEGER', 'int'], ['BIGINT', 'int'],
  ['DOUBLE', 'double'], ['BOOLEAN', 'bool'], ['VARCHAR', 'string'], ['JSON', 'string'],
  ['TIMESTAMP WITH TIME ZONE', 'timestamp'], ['TIMESTAMP', 'timestamp'], ['UUID', 'uuid'],
]);

function KindOf(duckdbType) {
  const kind = kKindOfDuckDBType.get(String(duckdbType));
  if (!kind) throw new Error(`duckdb: unsupported column type ${String(duckdbType)}`);
  return kind;
}

// DuckDB's own values (TIMESTAMPTZ, UUID objects) unwrapped to what canonicalValue takes.
function Unwrap(kind, value) {
  if (value === null || value === undefined) return null;
  if (kind === 'timestamp') return value.micros;
  if (kind === 'uuid') return value.toString();
  return value;
}

function DaysFromCivil(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const kTimestampText =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?)?$/;

//! Microseconds since the epoch of DuckDB's text of a timestamp ("2020-01-01 00:00:00.5+00").
function TimestampMicros(text) {
  const m = kTimestampText.exec(text);
  if (!m) throw new Error(`duckdb: cannot parse timestamp statistic ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac = '', sign = '+', oh = '0', om = '0'] = m;
  const days = BigInt(DaysFromCivil(Number(y), Number(mo), Number(d)));
  const offset = (sign === '-' ? -1n : 1n) * (BigInt(oh) * 3600n + BigInt(om) * 60n);
  const seconds = days * 86400n + BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(s) - offset;
  return seconds * 1000000n + BigInt(frac.padEnd(6, '0'));
}

function StatValue(kind, text) {
  if (text === null || text === undefined) return null;
  switch (kind) {
    case 'int': return canonicalInt(BigInt(text));
    case 'double': {
      const lower = text.toLowerCase();
      if (lower === 'nan' || lower === '-nan') return canonicalValue(kind, NaN);
      if (/^\+?inf(inity)?$/.test(lower)) return canonicalValue(kind, Infinity);
      if (/^-inf(inity)?$/.test(lower)) return canonicalValue(kind, -Infinity);
      const value = Number(text);
      if (Number.isNaN(value)) throw new Error(`duckdb: cannot parse double statistic ${text}`);
      return canonicalValue(kind, value);
    }
    case 'bool': return canonicalValue(kind, text === 'true');
    case 'timestamp': return canonicalValue(kind, TimestampMicros(text));
    default: return canonicalValue(kind, text);
  }
}

async function Rows(conn, sql, params) {
  return (await conn.runAndReadAll(sql, params));
}

async function Schema(conn, file) {
  const reader = await Rows(conn, `SELECT name, type, type_length, repetition_type, converted_type,
      logical_type, duckdb_type FROM parquet_schema($file) WHERE column_id > 0 ORDER BY column_id`,
    { file });
  return reader.getRowObjects().map((r) => ({
    name: r.name, type: r.type, type_length: r.type_length, repetition_type: r.repetition_type,
    converted_type: r.converted_type, logical_type: r.logical_type, duckdb_type: r.duckdb_type,
  }));
}

async function Data(conn, file) {
  const reader = await Rows(conn, 'SELECT * FROM read_parquet($file)', { file });
  const kinds = reader.columnTypes().map(KindOf);
  const rows = reader.getRows().map((row) => row.map((v, i) => canonicalValue(kinds[i],
    Unwrap(kinds[i], v))));
  return { names: reader.columnNames(), kinds, rows };
}

async function KvMetadata(conn, file) {
  const reader = await Rows(conn, `SELECT decode(key) AS key, decode(value) AS value
      FROM parquet_kv_metadata($file)`, { file });
  return reader.getRowObjects().map((r) => [r.key, r.value]);
}

async function Chunks(conn, file, kindByName) {
  const reader = await Rows(conn, `SELECT row_group_id, row_group_num_rows, column_id,
      path_in_schema, num_values, stats_null_count, stats_min_value, stats_max_value, stats_min,
      stats_max, encodings, compression FROM parquet_metadata($file)
      ORDER BY row_group_id, column_id`, { file });
  return reader.getRowObjects().map((r) => {
    const kind = kindByName.get(r.path_in_schema);
    return {
      row_group_id: canonicalInt(r.row_group_id), row_group_num_rows: canonicalInt(r.row_group_num_rows),
      column: r.path_in_schema, num_values: canonicalInt(r.num_values),
      null_count: r.stats_null_count === null ? null : canonicalInt(r.stats_null_count),
      min: StatValue(kind, r.stats_min_value), max: StatValue(kind, r.stats_max_value),
      min_raw: r.stats_min_value, max_raw: r.stats_max_value,
      legacy_min_raw: r.stats_min, legacy_max_raw: r.stats_max,
      encodings: r.encodings.split(',').map((e) => e.trim()), compression: r.compression,
    };
  });
}

export async function ReadWithDuckDB(file) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
  } catch {
    // Without ICU, DuckDB prints every TIMESTAMPTZ in UTC already.
  }
  const columns = await Schema(conn, file);
  const data = await Data(conn, file);
  const kindByName = new Map(data.names.map((n, i) => [n, data.kinds[i]]));
  const doc = {
    reader: 'duckdb', columns, num_rows: data.rows.length, rows: data.rows,
    kv_metadata: await KvMetadata(conn, file), chunks: await Chunks(conn, file, kindByName),
  };
  conn.closeSync();
  return doc;
}
