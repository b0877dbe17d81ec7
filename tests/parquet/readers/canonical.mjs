// The canonical form both readers print, so that their outputs compare byte for byte and the C++
// tests compare them with what was written:
//   int        (INT32, INT64): a JSON number when |v| <= 2^53 - 1 (Number.MAX_SAFE_INTEGER), else
//              its decimal string; so an int64 beyond 2^53 never loses a digit.
//   double     a JSON number that always carries a '.' or an exponent (1 is printed 1.0) and that
//              round-trips to the same binary64; -0.0 is printed -0.0; NaN, Infinity and
//              -Infinity are the strings "NaN", "Infinity", "-Infinity".
//   bool       true / false.
//   string     (STRING, JSON, plain BYTE_ARRAY): the UTF-8 text as a JSON string; JSON columns
//              are their text, never re-serialized.
//   timestamp  (INT64 + TIMESTAMP MICROS): microseconds since the Unix epoch, a decimal string.
//   uuid       canonical lower-case 8-4-4-4-12 text.
//   NULL       null.
// A value this module cannot put in canonical form throws: the reader exits non-zero and says
// why, rather than printing something that might compare equal by accident.

//! A double as it will be printed; keeps -0.0 apart from 0 (JSON.stringify does not).
export class CanonicalDouble {
  constructor(value) {
    this.value = value;
  }
}

export function canonicalInt(value) {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  return big >= -safe && big <= safe ? Number(big) : big.toString();
}

export function canonicalDouble(value) {
  if (typeof value !== 'number') throw new Error(`not a double: ${String(value)}`);
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return new CanonicalDouble(value);
}

const kUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

//! `value` (null/undefined for NULL) of a column of `kind` in canonical form.
export function canonicalValue(kind, value) {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'int':
      return canonicalInt(value);
    case 'double':
      return canonicalDouble(value);
    case 'bool':
      if (typeof value !== 'boolean') throw new Error(`not a boolean: ${String(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new Error(`not a string: ${String(value)}`);
      return value;
    case 'timestamp':
      return (typeof value === 'bigint' ? value : BigInt(value)).toString();
    case 'uuid': {
      const text = String(value).toLowerCase();
      if (!kUuid.test(text)) throw new Error(`not a uuid: ${String(value)}`);
      return text;
    }
    default:
      throw new Error(`unsupported column kind ${kind}`);
  }
}

function DoubleText(value) {
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

//! JSON text of `doc` (objects, arrays, strings, numbers, booleans, null, CanonicalDouble).
export function stringify(doc) {
  const parts = [];
  const emit = (v) => {
    if (v instanceof CanonicalDouble) {
      parts.push(DoubleText(v.value));
    } else if (Array.isArray(v)) {
      parts.push('[');
      v.forEach((item, i) => {
        if (i) parts.push(',');
        emit(item);
      });
      parts.push(']');
    } else if (v !== null && typeof v === 'object') {
      parts.push('{');
      Object.entries(v).forEach(([key, item], i) => {
        if (i) parts.push(',');
        parts.push(JSON.stringify(key), ':');
        emit(item === undefined ? null : item);
      });
      parts.push('}');
    } else if (typeof v === 'bigint') {
      parts.push(`"${v.toString()}"`);
    } else if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new Error(`non-finite number outside a double column: ${v}`);
    } else {
      parts.push(v === undefined ? 'null' : JSON.stringify(v));
    }
  };
  emit(doc);
  return parts.join('');
}
