// ModelError: why a DynamoDB value, item or key was rejected while building the typed model.
//
// The messages are DynamoDB's own wording (checked against DynamoDB Local); api/ turns kValidation
// into ValidationException and kSerialization into SerializationException.
#pragma once

#include <string>

namespace dunlin::model {

struct ModelError {
  enum class Kind { kValidation, kSerialization };
  Kind kind = Kind::kValidation;
  std::string message;

  static ModelError Validation(std::string message) {
    return ModelError{Kind::kValidation, std::move(message)};
  }
  static ModelError Serialization(std::string message) {
    return ModelError{Kind::kSerialization, std::move(message)};
  }
};

}  // namespace dunlin::model
