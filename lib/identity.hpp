#pragma once
// Platform-qualified identities: "platform:local-id".
#include <optional>
#include <string_view>

namespace influence::lib {

struct Identity {
  std::string_view platform;  // lowercase ASCII letters, digits, '-', '_'
  std::string_view local;     // anything non-empty after the first ':'
};

// nullopt when there is no platform prefix or the local part is empty.
std::optional<Identity> split_identity(std::string_view id);

// The handle to show when an account has none: the local part, or for
// Bluesky DIDs the DID itself.
std::string_view default_handle(std::string_view id);

}  // namespace influence::lib
