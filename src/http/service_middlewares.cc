#include "http/service_middlewares.h"

#include "core/log.h"
#include "http/access_log_middleware.h"
#include "http/compression_middleware.h"
#include "http/metrics_middleware.h"
#include "http/tracing_middleware.h"

namespace dataplane::http {

std::vector<Middleware> ServiceMiddlewares(const metrics::Scope& metrics, const Router& router) {
  std::vector<Middleware> middlewares{TracingMiddleware(), MetricsMiddleware(metrics, router)};
  if (core::LogEnabled(core::LogLevel::kDebug)) middlewares.push_back(AccessLogMiddleware());
  middlewares.push_back(CompressionMiddleware());
  return middlewares;
}

}  // namespace dataplane::http
