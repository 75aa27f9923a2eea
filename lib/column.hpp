#pragma once
// A column of the corpus: a vector of its own, or a read-only view of memory
// that an owner keeps alive (the mapped column cache). A view lets a
// ten-million-post corpus be used where it lies, in pages the kernel already
// holds, instead of being copied into fresh memory that must first be
// zeroed: that copy was a third of a warm `rank` at ten million posts.
// Reading is the same for both. Writing to a view first copies it into
// memory of its own, and writing is always spelled out (mut(), push_back(),
// resize()…): there is no non-const operator[], so a read can never copy a
// column by accident.
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace influence::lib {

template <class T>
class Column {
  static_assert(std::is_trivially_copyable_v<T>, "a column is mapped from a file: its rows must be plain bytes");

 public:
  using value_type = T;

  Column() = default;
  Column(std::initializer_list<T> init) : own_(init) { sync(); }
  // A copy of a view is the same view (nobody writes to it); a copy of a
  // vector is a vector.
  Column(const Column& o) { *this = o; }
  Column(Column&& o) noexcept { take(o); }
  Column& operator=(const Column& o) {
    if (this == &o) return *this;
    if (o.keep_) {
      own_.clear();
      keep_ = o.keep_;
      data_ = o.data_;
      size_ = o.size_;
      return *this;
    }
    return *this = std::vector<T>(o.begin(), o.end());
  }
  Column& operator=(Column&& o) noexcept {
    if (this != &o) take(o);
    return *this;
  }
  Column& operator=(std::vector<T>&& v) {
    own_ = std::move(v);
    keep_.reset();
    sync();
    return *this;
  }
  ~Column() = default;

  // `size` rows at `data`, which `keep` keeps alive and nobody writes to.
  static Column view(std::shared_ptr<const void> keep, const T* data, std::size_t size) {
    Column c;
    c.keep_ = std::move(keep);
    c.data_ = data;
    c.size_ = size;
    return c;
  }
  bool is_view() const { return keep_ != nullptr; }
  // Makes a column of its own a view of the same rows, now shared and never
  // written: copies of it then cost nothing, and another thread can read
  // them while this one goes on (writing copies first, as for any view).
  void share() {
    if (keep_) return;
    auto rows = std::make_shared<const std::vector<T>>(std::move(own_));
    own_ = std::vector<T>();
    data_ = rows->data();
    size_ = rows->size();
    keep_ = std::move(rows);
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* data() const { return data_; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T& front() const { return data_[0]; }
  const T& back() const { return data_[size_ - 1]; }

  // Writing (a view becomes a copy of its own first).
  T& mut(std::size_t i) {
    detach();
    return own_[i];
  }
  void push_back(const T& v) {
    detach();
    own_.push_back(v);
    sync();
  }
  template <class It>
  void append(It first, It last) {
    detach();
    own_.insert(own_.end(), first, last);
    sync();
  }
  void reserve(std::size_t n) {
    detach();
    own_.reserve(n);
    sync();
  }
  void resize(std::size_t n, const T& v = T{}) {
    detach();
    own_.resize(n, v);
    sync();
  }
  void assign(std::size_t n, const T& v) {
    own_.assign(n, v);
    keep_.reset();
    sync();
  }
  void clear() {
    own_.clear();
    keep_.reset();
    sync();
  }

 private:
  void sync() {
    data_ = own_.data();
    size_ = own_.size();
  }
  void detach() {
    if (!keep_) return;
    own_.assign(data_, data_ + size_);
    keep_.reset();
    sync();
  }
  void take(Column& o) {
    own_ = std::move(o.own_);
    keep_ = std::move(o.keep_);
    if (keep_) {
      data_ = o.data_;
      size_ = o.size_;
    } else {
      sync();
    }
    o.own_.clear();
    o.keep_.reset();
    o.sync();
  }

  std::vector<T> own_;
  std::shared_ptr<const void> keep_;  // set for a view
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace influence::lib
