#pragma once
// The version of dataplane: set in project() of CMakeLists.txt only, read from here.
namespace dataplane::core {

inline constexpr const char* kVersion = DATAPLANE_VERSION;

}  // namespace dataplane::core
