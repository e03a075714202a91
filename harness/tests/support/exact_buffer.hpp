// Test support: a copy of some bytes in a heap block of exactly their size, so that
// AddressSanitizer reports any read past the end (STYLE.md: "inputs copied to exact-size heap
// buffers so ASan catches over-reads").
#pragma once

#include <cstring>
#include <memory>
#include <string_view>

namespace bcconform::test_support {

class exact_buffer {
 public:
  explicit exact_buffer(std::string_view text)
      : data_(std::make_unique<char[]>(text.size())), size_(text.size()) {
    if (size_ != 0) std::memcpy(data_.get(), text.data(), size_);
  }
  std::string_view view() const noexcept { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

}  // namespace bcconform::test_support
