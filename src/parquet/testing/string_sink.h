#pragma once
// Tests only: a parquet::Sink that keeps the file's bytes in memory.
#include <string>
#include <string_view>

#include "parquet/file_writer.h"

namespace dataplane::parquet::testing {

class StringSink : public Sink {
 public:
  core::Status Write(std::string_view bytes) override {
    data.append(bytes);
    return core::OkStatus();
  }
  std::string data;
};

}  // namespace dataplane::parquet::testing
