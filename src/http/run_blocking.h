#pragma once
// Runs blocking work (libpq calls, file I/O) on a thread pool and resumes the calling
// coroutine on its own executor with the result; an exception thrown by the work is
// rethrown in the caller.
#include <type_traits>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace dataplane::http {

template <typename Fn>
auto RunBlocking(boost::asio::thread_pool& pool, Fn fn)
    -> boost::asio::awaitable<std::invoke_result_t<Fn&>> {
  using R = std::invoke_result_t<Fn&>;
  co_return co_await boost::asio::co_spawn(
      pool.get_executor(),
      [fn = std::move(fn)]() mutable -> boost::asio::awaitable<R> { co_return fn(); },
      boost::asio::use_awaitable);
}

}  // namespace dataplane::http
