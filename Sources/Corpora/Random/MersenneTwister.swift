/// MT19937, the generator behind both Python's `random` and NumPy's legacy `RandomState`.
/// The paper's code splits data with `random.seed(s); random.shuffle(pairs)` (Tatoeba) and
/// sklearn's `train_test_split(random_state=4)` (Brown); reproducing both exactly needs this
/// generator and each library's seeding and index-drawing rules, implemented below.
struct MersenneTwister {
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 625

    /// `init_genrand(s)`: NumPy's `RandomState(seed)` for a seed below 2^32.
    init(numpySeed seed: UInt32) { initGenrand(seed) }

    /// Python's `random.seed(n)` for a non-negative int: `init_by_array` over the 32-bit words
    /// of |n|, least significant first (one zero word for n = 0).
    init(pythonSeed seed: UInt64) {
        var key: [UInt32] = []
        var n = seed
        repeat { key.append(UInt32(truncatingIfNeeded: n)); n >>= 32 } while n > 0
        initByArray(key)
    }

    private mutating func initGenrand(_ s: UInt32) {
        mt[0] = s
        for i in 1..<624 {
            mt[i] = 1812433253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19650218)
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1664525)) &+ key[j] &+ UInt32(j)
            i += 1; j += 1
            if i >= 624 { mt[0] = mt[623]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1566083941)) &- UInt32(i)
            i += 1
            if i >= 624 { mt[0] = mt[623]; i = 1 }
        }
        mt[0] = 0x8000_0000
        index = 624
    }

    mutating func next32() -> UInt32 {
        if index >= 624 {
            for k in 0..<624 {
                let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % 624] & 0x7fff_ffff)
                mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
            }
            index = 0
        }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// Python's `_randbelow(n)` (getrandbits rejection), for n < 2^32.
    mutating func pythonBelow(_ n: Int) -> Int {
        precondition(n > 0 && n <= Int(UInt32.max))
        let k = Int.bitWidth - (n).leadingZeroBitCount
        while true {
            let r = Int(next32() >> UInt32(32 - k))
            if r < n { return r }
        }
    }

    /// NumPy's legacy `random_interval(max)`: masked rejection, a value in 0...max.
    mutating func numpyInterval(_ max: Int) -> Int {
        if max == 0 { return 0 }
        var mask = UInt32(max)
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let v = next32() & mask
            if v <= UInt32(max) { return Int(v) }
        }
    }
}

extension MersenneTwister {
    /// `random.seed(seed); random.shuffle(x)` in Python.
    static func pythonShuffle<T>(_ x: inout [T], seed: UInt64) {
        var g = MersenneTwister(pythonSeed: seed)
        guard x.count > 1 else { return }
        for i in stride(from: x.count - 1, to: 0, by: -1) {
            x.swapAt(i, g.pythonBelow(i + 1))
        }
    }

    /// `np.random.RandomState(seed).permutation(n)`.
    static func numpyPermutation(_ n: Int, seed: UInt32) -> [Int] {
        var g = MersenneTwister(numpySeed: seed)
        var p = Array(0..<n)
        guard n > 1 else { return p }
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, g.numpyInterval(i)) }
        return p
    }

    /// sklearn `train_test_split(..., test_size=f, random_state=seed)` indices:
    /// n_test = ceil(f·n), test = perm[:n_test], train = perm[n_test:].
    static func sklearnTrainTestSplit(count n: Int, testFraction: Double, seed: UInt32) -> (train: [Int], test: [Int]) {
        let nTest = Int((testFraction * Double(n)).rounded(.up))
        let p = numpyPermutation(n, seed: seed)
        return (Array(p[nTest...]), Array(p[..<nTest]))
    }
}
