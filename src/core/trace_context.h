#pragma once
// W3C Trace Context (https://www.w3.org/TR/trace-context/): which trace a request belongs to.
//
// A request that arrives with a valid `traceparent` header continues that trace: same trace id,
// the caller's span as parent, the caller's sampled flag; otherwise (absent or invalid — the
// recommendation says to ignore an invalid header, not to refuse the request) a new trace
// starts, sampled. Either way the request gets a span id of its own, which is what an outgoing
// call sends as its parent (Traceparent()). Ids are random (thread-local generator, seeded from
// std::random_device); lower-case hex, never all zeros. The OTLP exporter of issue 13 reads
// these fields; until then they appear in the access log.
#include <string>
#include <string_view>

namespace dataplane::core {

struct TraceContext {
  std::string trace_id;        // 32 hex digits
  std::string parent_span_id;  // 16 hex digits; empty when this request started the trace
  std::string span_id;         // 16 hex digits: this request's span
  bool sampled = true;

  //! Continues the trace of a `traceparent` value, or starts a new one (see above).
  static TraceContext FromTraceparent(std::string_view traceparent);
  //! "00-<trace_id>-<span_id>-<flags>", the header an outgoing call carries.
  std::string Traceparent() const;
};

}  // namespace dataplane::core
