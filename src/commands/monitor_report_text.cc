#include "commands/monitor_report_text.h"

#include <cstdio>

#include <boost/json.hpp>

namespace dataplane::commands {
namespace json = boost::json;
namespace {

std::string Bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) bytes /= 1024, ++unit;
  char out[32];
  std::snprintf(out, sizeof out, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return out;
}

double Number(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  if (v.is_double()) return v.as_double();
  return 0;
}

std::string Text(const json::value& v, std::string_view if_null = "-") {
  if (v.is_null()) return std::string(if_null);
  if (v.is_string()) return std::string(v.as_string());
  return json::serialize(v);
}

std::string Pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

void Tables(std::string& out, const json::array& tables) {
  out += "tables\n";
  for (const json::value& t : tables) {
    const json::object& o = t.as_object();
    const double partitions = Number(o.at("partitions"));
    out += "  " + Pad(Text(o.at("table")), 24) +
           Pad(partitions > 0 ? std::to_string(static_cast<long>(partitions)) + " partitions" : "",
               16) +
           Pad(Bytes(Number(o.at("total_bytes"))), 12) + "~" +
           std::to_string(static_cast<long long>(Number(o.at("rows_estimate")))) + " rows\n";
  }
}

void Aggregates(std::string& out, const json::object& report) {
  out += "aggregates\n";
  for (const json::value& a : report.at("aggregates").as_array()) {
    const json::object& o = a.as_object();
    out += "  " + Pad(Text(o.at("aggregate")), 20) + Pad(Text(o.at("kind")), 22);
    if (const json::value* rows = o.if_contains("rows")) {
      out += Pad(std::to_string(static_cast<long long>(Number(*rows))) + " rows", 12);
    }
    if (const json::value* newest = o.if_contains("newest_bucket")) {
      out += "newest " + Text(*newest) + "  ";
    }
    out += "refreshed " + Text(o.at("refreshed_at"), "never") + "\n";
  }
  const json::object& pending = report.at("pending_invalidations").as_object();
  out +=
      "  pending refresh: " + std::to_string(static_cast<long long>(Number(pending.at("hours")))) +
      " hour(s)";
  if (!pending.at("oldest_recorded_at").is_null()) {
    out += ", oldest logged " + Text(pending.at("oldest_recorded_at"));
  }
  out += "\n";
}

void Compression(std::string& out, const json::object& c) {
  out += "compression\n  " + std::to_string(static_cast<long long>(Number(c.at("compressed")))) +
         " of " + std::to_string(static_cast<long long>(Number(c.at("partitions")))) +
         " partitions/chunks compressed";
  if (!c.at("ratio").is_null()) {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.1f", Number(c.at("ratio")));
    out += ", ratio " + std::string(ratio) + ":1 (" + Bytes(Number(c.at("uncompressed_bytes"))) +
           " → " + Bytes(Number(c.at("compressed_bytes"))) + ")";
  }
  out += "\n";
}

void SlowQueries(std::string& out, const json::array& queries) {
  out += "slow queries\n";
  if (queries.empty()) out += "  none\n";
  for (const json::value& q : queries) {
    const json::object& o = q.as_object();
    std::string query = Text(o.at("query"));
    for (char& c : query) {
      if (c == '\n' || c == '\t') c = ' ';
    }
    if (query.size() > 100) query = query.substr(0, 97) + "...";
    const bool statements = Text(o.at("source")) == "pg_stat_statements";
    char figures[96];
    if (statements) {
      std::snprintf(figures, sizeof figures, "mean %.1f ms, %lld calls", Number(o.at("mean_ms")),
                    static_cast<long long>(Number(o.at("calls"))));
    } else {
      std::snprintf(figures, sizeof figures, "running for %.0f ms (pid %lld)",
                    Number(o.at("running_for_ms")), static_cast<long long>(Number(o.at("pid"))));
    }
    out += "  " + std::string(figures) + ": " + query + "\n";
  }
}

void Replication(std::string& out, const json::object& r) {
  out += "replication\n";
  const json::array& replicas = r.at("replicas").as_array();
  if (replicas.empty()) out += "  no replicas\n";
  for (const json::value& v : replicas) {
    const json::object& o = v.as_object();
    out += "  " + Text(o.at("application")) + " " + Text(o.at("client")) + " " +
           Text(o.at("state")) + " (" + Text(o.at("sync_state")) + "), replay lag " +
           Text(o.at("replay_lag_s"), "0") + " s\n";
  }
  if (!r.at("replay_delay_s").is_null()) {
    out += "  this server is a standby, " + Text(r.at("replay_delay_s")) + " s behind\n";
  }
}

void ArchiveBacklog(std::string& out, const json::object& a) {
  out += "archive backlog\n  " +
         std::to_string(static_cast<long long>(Number(a.at("partitions")))) +
         " partition(s) with data older than " +
         std::to_string(static_cast<long long>(Number(a.at("archive_after_hours")))) + " h, " +
         Bytes(Number(a.at("bytes")));
  if (!a.at("oldest").is_null()) out += ", oldest from " + Text(a.at("oldest"));
  out += "\n";
}

}  // namespace

core::Result<std::string> RenderMonitorReport(std::string_view report_json) {
  try {
    const json::object report = json::parse(report_json).as_object();
    const json::object& db = report.at("database").as_object();
    std::string out = "dataplane database report, " + Text(report.at("generated_at")) + "\n";
    out += "database\n  " + Text(db.at("name")) + ", PostgreSQL " + Text(db.at("server_version")) +
           ", " + Bytes(Number(db.at("size_bytes"))) + ", TimescaleDB " +
           Text(db.at("timescaledb"), "not installed") + ", schema version " +
           Text(db.at("schema_version")) +
           (db.at("in_recovery").as_bool() ? ", standby" : ", primary") + "\n";
    out += "  backend " + Text(db.at("backend")) + "\n";
    if (!db.at("backend_note").is_null()) out += "  note: " + Text(db.at("backend_note")) + "\n";
    Tables(out, report.at("tables").as_array());
    Aggregates(out, report);
    Compression(out, report.at("compression").as_object());
    SlowQueries(out, report.at("slow_queries").as_array());
    Replication(out, report.at("replication").as_object());
    ArchiveBacklog(out, report.at("archive_backlog").as_object());
    return out;
  } catch (const std::exception& e) {
    return core::Error{core::ErrorKind::kInvalidInput,
                       "bad_report",
                       std::string("not a monitor report: ") + e.what(),
                       {}};
  }
}

}  // namespace dataplane::commands
