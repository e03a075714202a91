#include "bcconform/transport/open.hpp"

#include "detail.hpp"

namespace bcconform::transport {

result<std::unique_ptr<transport>> open(const target_uri& target, const open_options& o) {
  switch (target.kind) {
    case scheme::exec:
      return detail::open_exec(target, o);
    case scheme::serial:
    case scheme::pty:
      return detail::open_serial(target, o);
    case scheme::tcp:
      return detail::open_tcp(target, o);
    case scheme::replay:
      return detail::open_replay(target, o);
  }
  return make_error(errc::bad_uri, "unknown scheme");
}

}  // namespace bcconform::transport
