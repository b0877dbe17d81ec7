#include "archiver/object_key.h"

#include <cstdio>

namespace dataplane::archiver {

std::string EscapePartitionValue(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string NormalizePrefix(std::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  return prefix.empty() ? std::string() : std::string(prefix) + "/";
}

std::string DayFolder(std::string_view prefix, std::string_view site, std::string_view table,
                      ArchiveDay day) {
  return NormalizePrefix(prefix) + "site=" + EscapePartitionValue(site) +
         "/table=" + std::string(table) + "/date=" + day.Text() + "/";
}

std::string PartKey(std::string_view prefix, std::string_view site, std::string_view table,
                    ArchiveDay day, int part) {
  char name[40];
  std::snprintf(name, sizeof name, "part-%04d.parquet", part);
  return DayFolder(prefix, site, table, day) + name;
}

}  // namespace dataplane::archiver
