#pragma once
// The Local API service: HTTP server, query pool, group-commit writer, health probe and the
// maintenance scheduler (partitions ahead, job statistics refresh and retention), wired together.
//
// Start(): connects (retrying for up to `startup_wait`), refuses an unmigrated database with a
// message naming `dataplane migrate`, makes sure the daily partitions exist, then listens.
// Stop(): stops accepting, answers what is in flight, writes and acknowledges what was
// queued, closes the pool. Not copyable; Start/Stop from one controlling thread.
#include <chrono>
#include <memory>

#include "core/error.h"
#include "local_api/config.h"

namespace dataplane::local_api {

class LocalApi {
 public:
  explicit LocalApi(LocalApiConfig config);
  ~LocalApi();
  LocalApi(const LocalApi&) = delete;
  LocalApi& operator=(const LocalApi&) = delete;

  core::Status Start();
  core::Status Start(std::chrono::seconds startup_wait);
  void Stop();
  //! The bound port (useful when config.port was 0).
  int port() const;

 private:
  struct Parts;
  LocalApiConfig config_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace dataplane::local_api
