#include "core/base/sha256.h"

#include "core/base/user_error.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using storyreel::sha256Hex;

TEST_CASE("SHA-256 matches the FIPS 180 test vectors", "[base][sha256]") {
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256Hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("A file hashes like its bytes, across read buffers", "[base][sha256]") {
    const auto file = std::filesystem::path(STORYREEL_TEST_BINARY_DIR) / "sha256_input.bin";
    std::string bytes;
    for (int i = 0; i < 200000; ++i) {
        bytes += static_cast<char>(i * 7 % 251);
    }
    std::ofstream(file, std::ios::binary) << bytes;
    CHECK(storyreel::sha256OfFile(file) == sha256Hex(bytes));
    CHECK_THROWS_WITH(storyreel::sha256OfFile(file.string() + ".missing"),
                      Catch::Matchers::Contains("sha256_input.bin.missing: cannot be read"));
}
