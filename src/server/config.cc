#include "server/config.h"

#include <charconv>

namespace dunlin::server {

Result<std::pair<std::string, uint16_t>, std::string> ParseListenAddress(const std::string& text) {
  std::string host;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Fail("--listen expects HOST:PORT, got '" + text + "'");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) return Fail("--listen expects HOST:PORT, got '" + text + "'");
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (host.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return Fail("--listen expects HOST:PORT, got '" + text + "'");
  }
  return std::pair<std::string, uint16_t>(host, static_cast<uint16_t>(port));
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace dunlin::server
