import Foundation
import Testing
@testable import Corpora

@Suite("SHA-256 and MD5")
struct HashingTests {
    /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the one-million-'a' vector.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hex(Data(message.utf8)) == digest)
    }

    @Test func oneMillionA() {
        #expect(SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Feeding in odd-sized pieces gives the one-shot digest (exercises the pending buffer).
    @Test func streamingMatchesOneShot() {
        let data = Data((0..<10_007).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var h = SHA256()
        var i = 0
        for size in [1, 63, 64, 65, 127, 1000, 3] + Array(repeating: 997, count: 9) where i < data.count {
            let end = min(data.count, i + size)
            h.update(data[i..<end]); i = end
        }
        h.update(data[i...])
        #expect(h.finalize().map { String(format: "%02x", $0) }.joined() == SHA256.hex(data))
    }

    /// RFC 1321 test suite values.
    @Test func md5Vectors() {
        let hex = { (s: String) in MD5.digest(Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(hex("abc") == "900150983cd24fb0d6963f7d28e17f72")
        #expect(hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") == "57edf4a22be3c955ac49da2e2107b67a")
    }

    /// `sorted(range(12), key=lambda i: int(hashlib.md5(('train'+str(i)).encode()).hexdigest(), 16))`
    /// in Python 3.11.
    @Test func tfdsOrder() {
        #expect(ClincLoader.tfdsOrder(count: 12, split: "train") == [6, 5, 4, 10, 0, 8, 3, 1, 9, 7, 11, 2])
    }
}

@Suite("Seeded generators")
struct RandomTests {
    /// Python 3.11: `random.seed(19); x = list(range(10)); random.shuffle(x)`; and with seed
    /// 2**40 + 5 (two key words) over range(25).
    @Test func pythonShuffle() {
        var x = Array(0..<10)
        MersenneTwister.pythonShuffle(&x, seed: 19)
        #expect(x == [9, 5, 6, 2, 3, 7, 4, 1, 8, 0])
        var y = Array(0..<25)
        MersenneTwister.pythonShuffle(&y, seed: (1 << 40) + 5)
        #expect(y == [11, 22, 15, 9, 17, 20, 7, 12, 18, 6, 14, 19, 13, 10, 3, 4, 2, 5, 1, 23, 0, 21, 8, 24, 16])
        var g = MersenneTwister(pythonSeed: 19)
        #expect([g.next32(), g.next32(), g.next32()] == [2908233303, 185773678, 3371168582])   // random.getrandbits(32)
    }

    /// NumPy 2: `np.random.RandomState(4).permutation(10)` and `(20)`.
    @Test func numpyPermutation() {
        #expect(MersenneTwister.numpyPermutation(10, seed: 4) == [3, 8, 4, 9, 2, 6, 0, 1, 5, 7])
        #expect(MersenneTwister.numpyPermutation(20, seed: 4) == [19, 3, 18, 6, 13, 4, 0, 17, 12, 11, 15, 10, 9, 2, 16, 7, 8, 1, 5, 14])
        let (train, test) = MersenneTwister.sklearnTrainTestSplit(count: 10, testFraction: 0.25, seed: 4)
        #expect(test == [3, 8, 4])          // ceil(2.5) = 3 test rows, as sklearn
        #expect(train == [9, 2, 6, 0, 1, 5, 7])
    }

    @Test func splitMixIsDeterministic() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs[0] == 0xBDD7_3226_2FEB_6E95)   // SplitMix64 reference output for seed 42
        var c = SplitMix64(seed: 1)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(c.below(7)) })
    }
}
