// CredentialStore: access key ids and their secrets, loaded from a file.
#include <fstream>
#include <sstream>
#include <utility>

#include "http/sigv4.h"

namespace dunlin::http {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Drops a comment: '#' at the start of the line or after whitespace (secrets never contain it,
// but keeping "a#b" intact costs nothing).
std::string_view StripComment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || IsSpace(line[i - 1]))) return line.substr(0, i);
  }
  return line;
}

}  // namespace

Result<CredentialStore, std::string> CredentialStore::LoadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Fail("cannot read credentials file " + path);
  CredentialStore store;
  // The AWS shared-credentials form: "[profile]" sections with key = value lines.
  std::string section_key_id;
  std::string section_secret;
  auto flush_section = [&]() -> Result<void, std::string> {
    if (section_key_id.empty() != section_secret.empty()) {
      return Fail(path + ": a profile has " +
                  (section_key_id.empty() ? "aws_secret_access_key without aws_access_key_id"
                                          : "aws_access_key_id without aws_secret_access_key"));
    }
    if (!section_key_id.empty()) store.Add(std::move(section_key_id), std::move(section_secret));
    section_key_id.clear();
    section_secret.clear();
    return {};
  };

  std::string raw_line;
  int line_number = 0;
  while (std::getline(file, raw_line)) {
    ++line_number;
    const std::string_view line = Trim(StripComment(raw_line));
    if (line.empty() || line.front() == ';') continue;
    const std::string where = path + ":" + std::to_string(line_number) + ": ";
    if (line.front() == '[') {
      DUNLIN_RETURN_IF_ERROR(flush_section());
      continue;
    }
    if (const size_t eq = line.find('='); eq != std::string_view::npos) {
      const std::string_view key = Trim(line.substr(0, eq));
      const std::string_view value = Trim(line.substr(eq + 1));
      if (key == "aws_access_key_id") section_key_id.assign(value);
      if (key == "aws_secret_access_key") section_secret.assign(value);
      continue;  // other settings (region, aws_session_token, ...) do not matter here
    }
    // "ACCESS_KEY_ID SECRET_ACCESS_KEY"
    std::istringstream words{std::string(line)};
    std::string key_id, secret, extra;
    if (!(words >> key_id >> secret) || (words >> extra)) {
      return Fail(where + "expected 'ACCESS_KEY_ID SECRET_ACCESS_KEY'");
    }
    store.Add(std::move(key_id), std::move(secret));
  }
  DUNLIN_RETURN_IF_ERROR(flush_section());
  if (store.empty()) return Fail("no credentials in " + path);
  return store;
}

void CredentialStore::Add(std::string access_key_id, std::string secret) {
  secrets_.insert_or_assign(std::move(access_key_id), std::move(secret));
}

std::optional<std::string_view> CredentialStore::SecretFor(std::string_view access_key_id) const {
  const auto it = secrets_.find(access_key_id);
  if (it == secrets_.end()) return std::nullopt;
  return std::string_view(it->second);
}

}  // namespace dunlin::http
