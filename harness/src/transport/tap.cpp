// The tap: every write and every successful read of the inner transport becomes one transcript
// record (specs/formats/transcript.md), flushed at once so a crash of the harness loses at most
// the record being written.
#include "bcconform/transport/tap.hpp"

#include <cerrno>
#include <cstring>

namespace bcconform::transport {

tap::tap(std::unique_ptr<transport> inner) : inner_(std::move(inner)) {}

tap::~tap() {
  stop();
}

result<void> tap::start(const std::string& path) {
  stop();
  tail_.clear();
  tail_bytes_ = 0;
  file_ = std::fopen(path.c_str(), "we");
  if (!file_) {
    return make_error(errc::io_error,
                      "cannot create the transcript \"" + path + "\": " + std::strerror(errno));
  }
  started_ = clock().now();
  std::fprintf(file_, "%.*s\n", static_cast<int>(protocol::transcript_header.size()),
               protocol::transcript_header.data());
  std::fflush(file_);
  return {};
}

void tap::note(std::string_view text) {
  record('#', text);
}

void tap::stop() {
  if (!file_) return;
  std::fclose(file_);
  file_ = nullptr;
}

void tap::record(char dir, std::string_view bytes) {
  if (!file_) return;
  protocol::transcript_record r;
  r.dir = dir == '>'   ? protocol::direction::to_module
          : dir == '<' ? protocol::direction::from_module
                       : protocol::direction::note;
  r.bytes = std::string(bytes);
  r.seconds = std::chrono::duration<double>(clock().now() - started_).count();
  const std::string line = protocol::format_transcript_record(r) + "\n";
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);

  tail_bytes_ += r.bytes.size();
  tail_.push_back(std::move(r));
  while (tail_bytes_ > tail_limit) {
    auto& oldest = tail_.front();
    const std::size_t excess = tail_bytes_ - tail_limit;
    if (oldest.bytes.size() <= excess) {
      tail_bytes_ -= oldest.bytes.size();
      tail_.pop_front();
    } else {
      oldest.bytes.erase(0, excess);
      tail_bytes_ -= excess;
    }
  }
}

// The bytes are recorded before they go out: if the write fails or the harness dies in it, the
// transcript still shows what the host meant to send, followed by the error.
result<void> tap::write(std::string_view bytes, deadline until) {
  record('>', bytes);
  auto r = inner_->write(bytes, until);
  if (!r) note("transport error: " + r.error().code.message() + ": " + r.error().detail);
  return r;
}

// A read that times out is how a runner watches for silence, not a fault: it leaves no note (the
// runner notes the step that failed). Every other error is noted.
result<std::size_t> tap::read(std::string& out, std::size_t max, deadline until) {
  const std::size_t old = out.size();
  auto r = inner_->read(out, max, until);
  if (r) {
    record('<', std::string_view(out).substr(old, *r));
  } else if (r.error().code != errc::timed_out) {
    note("transport error: " + r.error().code.message() + ": " + r.error().detail);
  }
  return r;
}

std::string tap::describe() const {
  return inner_->describe();
}

void tap::close() {
  inner_->close();
  stop();
}

const bcconform::transport::clock& tap::clock() const {
  return inner_->clock();
}

}  // namespace bcconform::transport
