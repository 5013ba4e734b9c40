// An expected-like result for scsi/ (a leaf: it cannot use pdu/'s). Nothing
// in scsi/ throws; every fallible call returns a value or an error value.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace touchstone::scsi {

template <class E>
struct failure {
  E error;
};

template <class E>
constexpr failure<E> fail(E e) {
  return failure<E>{std::move(e)};
}

template <class T, class E>
class [[nodiscard]] result {
 public:
  constexpr result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  constexpr result(failure<E> f) : state_(std::in_place_index<1>, std::move(f.error)) {}

  constexpr bool has_value() const { return state_.index() == 0; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr T& value() & {
    assert(has_value());
    return std::get<0>(state_);
  }
  constexpr const T& value() const& {
    assert(has_value());
    return std::get<0>(state_);
  }
  constexpr T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }
  constexpr const E& error() const {
    assert(!has_value());
    return std::get<1>(state_);
  }
  constexpr T& operator*() & { return value(); }
  constexpr const T& operator*() const& { return value(); }
  constexpr T* operator->() { return &value(); }
  constexpr const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> state_;
};

struct ok_t {};
inline constexpr ok_t ok{};

template <class E>
class [[nodiscard]] result<void, E> {
 public:
  constexpr result(ok_t) : failed_(false), error_{} {}
  constexpr result(failure<E> f) : failed_(true), error_(std::move(f.error)) {}
  constexpr bool has_value() const { return !failed_; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr const E& error() const {
    assert(failed_);
    return error_;
  }

 private:
  bool failed_;
  E error_;
};

}  // namespace touchstone::scsi
