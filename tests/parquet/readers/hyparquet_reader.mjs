// The file as hyparquet reads it (with hyparquet-compressors for ZSTD): the schema elements, the
// rows, the key/value metadata and the statistics of each column chunk, in the canonical form of
// canonical.mjs. Its own parsers keep microseconds (its default makes a millisecond Date) and
// JSON text (its default parses it).
import { readFile } from 'node:fs/promises';

import { parquetMetadata, parquetRead } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { compressors } from 'hyparquet-compressors';

import { canonicalInt, canonicalValue } from './canonical.mjs';

const decoder = new TextDecoder('utf-8', { fatal: true });

function Unsupported(what) {
  return () => {
    throw new Error(`hyparquet: unsupported ${what}`);
  };
}

const kParsers = {
  timestampFromMicroseconds: (micros) => micros,
  timestampFromMilliseconds: Unsupported('TIMESTAMP(MILLIS)'),
  timestampFromNanoseconds: Unsupported('TIMESTAMP(NANOS) or INT96'),
  dateFromDays: Unsupported('DATE'),
  jsonFromBytes: (bytes) => bytes && decoder.decode(bytes),
  stringFromBytes: (bytes) => bytes && decoder.decode(bytes),
};

function KindOf(element) {
  const logical = element.logical_type?.type;
  switch (element.type) {
    case 'INT32': return 'int';
    case 'INT64':
      return logical === 'TIMESTAMP' || element.converted_type === 'TIMESTAMP_MICROS'
        ? 'timestamp' : 'int';
    case 'DOUBLE': return 'double';
    case 'BOOLEAN': return 'bool';
    case 'BYTE_ARRAY': return 'string';
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical === 'UUID') return 'uuid';
      break;
    default: break;
  }
  throw new Error(`hyparquet: unsupported column ${element.name} (${element.type})`);
}

// BigInts of the thrift metadata as canonical ints, so the document prints as JSON.
function Plain(value) {
  if (typeof value === 'bigint') return canonicalInt(value);
  if (Array.isArray(value)) return value.map(Plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Plain(v)]));
  }
  return value;
}

// The page headers of one column chunk, walked with hyparquet's own header decoder: its row
// reader joins consecutive pages, so this is how the pages themselves are seen.
function Pages(file, meta) {
  const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  const reader = { view: new DataView(file, start, Number(meta.total_compressed_size)), offset: 0 };
  const pages = [];
  while (reader.offset < reader.view.byteLength) {
    const header = parquetHeader(reader);
    const data = header.data_page_header ?? header.data_page_header_v2;
    pages.push({ type: header.type, encoding: data?.encoding ?? header.dictionary_page_header?.encoding,
      num_values: data ? data.num_values : header.dictionary_page_header.num_values });
    reader.offset += header.compressed_page_size;
  }
  return pages;
}

function Chunks(file, metadata, leaves) {
  return metadata.row_groups.flatMap((group, g) => group.columns.map((chunk, c) => {
    const meta = chunk.meta_data;
    const stats = meta.statistics ?? {};
    const kind = KindOf(leaves[c]);
    return {
      row_group_id: g, row_group_num_rows: canonicalInt(group.num_rows),
      column: meta.path_in_schema.join('.'), num_values: canonicalInt(meta.num_values),
      null_count: stats.null_count === undefined ? null : canonicalInt(stats.null_count),
      min: canonicalValue(kind, stats.min_value), max: canonicalValue(kind, stats.max_value),
      encodings: meta.encodings, compression: meta.codec, pages: Pages(file, meta),
    };
  }));
}

export async function ReadWithHyparquet(path) {
  const bytes = await readFile(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = parquetMetadata(file, { parsers: kParsers });
  const leaves = metadata.schema.slice(1);
  const kinds = leaves.map(KindOf);
  let raw = [];
  await parquetRead({
    file, metadata, compressors, parsers: kParsers, rowFormat: 'array',
    onComplete: (rows) => { raw = rows; },
  });
  const rows = raw.map((row) => kinds.map((kind, i) => canonicalValue(kind, row[i])));
  return {
    reader: 'hyparquet',
    columns: leaves.map((e) => Plain({
      name: e.name, type: e.type, type_length: e.type_length, repetition_type: e.repetition_type,
      converted_type: e.converted_type ?? null, logical_type: e.logical_type ?? null,
    })),
    num_rows: canonicalInt(metadata.num_rows), rows,
    kv_metadata: (metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value]),
    created_by: metadata.created_by ?? null, chunks: Chunks(file, metadata, leaves),
  };
}
