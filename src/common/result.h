// Result<T, E>: a value or an error, returned instead of throwing.
//
// Expected outcomes (validation failures, missing tables, failed conditions) travel as values;
// exceptions are reserved for the truly exceptional and are caught only at request boundaries,
// at the top of background loops and in main. Each layer picks its own error type E.
//
// Thread-safety: a Result is a plain value; share it like any other value.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace dunlin {

// Wraps an error so that it converts into any Result<T, E> with a compatible E.
template <typename E>
struct Unexpected {
  E error;
};

template <typename E>
Unexpected<std::decay_t<E>> Fail(E&& error) {
  return Unexpected<std::decay_t<E>>{std::forward<E>(error)};
}

template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  template <typename U>
  Result(Unexpected<U> failure)  // NOLINT: implicit
      : state_(std::in_place_index<1>, std::move(failure.error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  E& error() & {
    assert(!ok());
    return std::get<1>(state_);
  }
  const E& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, E> state_;
};

// Result of an operation that yields nothing on success.
template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <typename U>
  Result(Unexpected<U> failure)  // NOLINT: implicit
      : failed_(true), error_(std::move(failure.error)) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: !ok().
  E& error() & {
    assert(!ok());
    return error_;
  }
  const E& error() const& {
    assert(!ok());
    return error_;
  }
  E&& error() && {
    assert(!ok());
    return std::move(error_);
  }

 private:
  bool failed_ = false;
  E error_{};
};

}  // namespace dunlin

#define DUNLIN_CONCAT_INNER(a, b) a##b
#define DUNLIN_CONCAT(a, b) DUNLIN_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function, converted with Fail().
#define DUNLIN_RETURN_IF_ERROR(expr)                         \
  do {                                                       \
    auto&& dunlin_result_ = (expr);                          \
    if (!dunlin_result_.ok()) {                              \
      return ::dunlin::Fail(std::move(dunlin_result_).error()); \
    }                                                        \
  } while (false)

// Declares or assigns `lhs` from the value of `expr`, or returns its error.
#define DUNLIN_ASSIGN_OR_RETURN(lhs, expr)                          \
  DUNLIN_ASSIGN_OR_RETURN_IMPL(DUNLIN_CONCAT(dunlin_r_, __LINE__), lhs, expr)
#define DUNLIN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)   \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) {                                     \
    return ::dunlin::Fail(std::move(tmp).error());     \
  }                                                    \
  lhs = std::move(tmp).value()
