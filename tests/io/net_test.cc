// The Asio exception fence: a handler that throws (a bug) loses its own work, not
// the loop that runs every other connection.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <stdexcept>

#include "io/net.h"

namespace credsweep::io {
namespace {

TEST(RunFenced, AHandlerThatThrowsDoesNotStopTheLoop) {
  boost::asio::io_context io;
  int ran = 0;
  boost::asio::post(io, [] { throw std::runtime_error("a bug in one session"); });
  boost::asio::post(io, [&ran] { ++ran; });
  boost::asio::post(io, [] { throw 42; });  // not even a std::exception
  boost::asio::post(io, [&ran] { ++ran; });
  RunFenced(io, "test");  // returns once the work is done, instead of throwing
  EXPECT_EQ(ran, 2);
}

}  // namespace
}  // namespace credsweep::io
