// A small expected-like result type: the codec and the state machines never
// throw; every fallible call returns a value or a fine-grained error enum.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace touchstone {

template <class E>
struct failure {
  E error;
};

template <class E>
constexpr failure<E> fail(E e) {
  return failure<E>{e};
}

template <class T, class E>
class [[nodiscard]] result {
 public:
  constexpr result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  constexpr result(failure<E> f) : state_(std::in_place_index<1>, f.error) {}

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
  constexpr E error() const {
    assert(!has_value());
    return std::get<1>(state_);
  }
  template <class U>
  constexpr T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  constexpr T& operator*() & { return value(); }
  constexpr const T& operator*() const& { return value(); }
  constexpr T* operator->() { return &value(); }
  constexpr const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> state_;
};

// result<void, E>: success carries nothing.
struct ok_t {};
inline constexpr ok_t ok{};

template <class E>
class [[nodiscard]] result<void, E> {
 public:
  constexpr result(ok_t) : failed_(false), error_{} {}
  constexpr result(failure<E> f) : failed_(true), error_(f.error) {}

  constexpr bool has_value() const { return !failed_; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr E error() const {
    assert(failed_);
    return error_;
  }

 private:
  bool failed_;
  E error_;
};

}  // namespace touchstone
