#pragma once
// Tests only: a parquet::Sink into a local file, for the reader tests that hand a path to the
// Node.js readers. A write that fails is reported.
#include <cstdio>
#include <string>
#include <string_view>

#include "parquet/file_writer.h"

namespace dataplane::parquet::readers {

class FileSink : public Sink {
 public:
  explicit FileSink(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {}
  ~FileSink() override {
    if (file_) std::fclose(file_);
  }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  core::Status Write(std::string_view bytes) override {
    if (file_ == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      return core::Error::Unavailable("cannot write the test file");
    }
    return core::OkStatus();
  }

 private:
  std::FILE* file_;
};

}  // namespace dataplane::parquet::readers
