import Testing
import UnitCost

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func matchesTheFIPSExamples(text: String, digest: String) {
        #expect(SHA256.hex(of: Array(text.utf8)) == digest)
    }

    @Test func streamingMatchesOneShot() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hash = SHA256()
        var i = 0
        for step in [1, 63, 64, 65, 127, 1000] where i < bytes.count {
            hash.update(Array(bytes[i..<min(bytes.count, i + step)]))
            i += step
        }
        hash.update(Array(bytes[min(i, bytes.count)...]))
        #expect(SHA256.hexString(hash.finalize()) == SHA256.hex(of: bytes))
        // A million 'a's, the long FIPS example.
        #expect(SHA256.hex(of: Array(repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
