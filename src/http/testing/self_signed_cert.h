#pragma once
// A self-signed TLS certificate made in memory through the OpenSSL C API, for test servers:
// no files, no network. Test-only (dataplane_http_testing).
#include <string>
#include <string_view>

namespace dataplane::http::testing {

struct SelfSignedCert {
  std::string certificate_pem;  // also the trust anchor a client adds to accept the server
  std::string private_key_pem;  // PKCS#8, unencrypted
};

//! A P-256 key and an X.509 v3 certificate for it, valid from an hour ago for a day, whose
//! subjectAltName is `subject_alt_names` in OpenSSL's syntax ("IP:127.0.0.1,DNS:localhost").
//! Throws std::runtime_error when OpenSSL fails: a broken test setup, not an expected outcome.
SelfSignedCert MakeSelfSignedCert(std::string_view subject_alt_names);

}  // namespace dataplane::http::testing
