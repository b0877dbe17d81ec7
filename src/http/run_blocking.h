#pragma once
// Runs blocking work (libpq calls, file I/O) on a thread pool and resumes the calling
// coroutine on its own executor with the result; an exception thrown by the work is
// rethrown in the caller. The result type need not be default-constructible.
#include <optional>
#include <type_traits>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace dataplane::http {

template <typename Fn>
auto RunBlocking(boost::asio::thread_pool& pool, Fn fn)
    -> boost::asio::awaitable<std::invoke_result_t<Fn&>> {
  using R = std::invoke_result_t<Fn&>;
  // co_spawn hands a default-constructed value to the completion when the work throws.
  std::optional<R> result = co_await boost::asio::co_spawn(
      pool.get_executor(),
      [fn = std::move(fn)]() mutable -> boost::asio::awaitable<std::optional<R>> {
        co_return fn();
      },
      boost::asio::use_awaitable);
  co_return std::move(*result);
}

}  // namespace dataplane::http
