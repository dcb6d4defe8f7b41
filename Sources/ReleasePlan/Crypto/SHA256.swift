import CCrypto

/// SHA-256 through OpenSSL's libcrypto (never a hand-rolled hash).
public enum SHA256 {
    /// The lowercase hex digest (64 characters) of `bytes`.
    public static func hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
            var length: UInt32 = 0
            let ok = bytes.withUnsafeBytes { buffer in
                EVP_Digest(buffer.baseAddress, buffer.count, digest.baseAddress, &length, Algorithm.sha256.pointer, nil)
            }
            precondition(ok == 1 && length == 32, "libcrypto failed to compute SHA-256")
            return String(unsafeUninitializedCapacity: 64) { text in
                for (index, byte) in digest.enumerated() {
                    text[2 * index] = hexDigits[Int(byte >> 4)]
                    text[2 * index + 1] = hexDigits[Int(byte & 0x0F)]
                }
                return 64
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The SHA-256 implementation, fetched from libcrypto's provider once: `EVP_sha256()` alone is
    /// looked up again (under a lock) on every digest, and lint takes 2,000 of them.
    private struct Algorithm: @unchecked Sendable {
        let pointer: OpaquePointer?
        static let sha256 = Algorithm(pointer: EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256())
    }
}

/// Byte containers whose storage can be read directly (kept tiny on purpose: no Foundation needed).
public protocol ContiguousBytes {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytes where Element == UInt8 {}
extension ArraySlice: ContiguousBytes where Element == UInt8 {}
