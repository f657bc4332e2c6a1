"""SplitMix64, the stream of KitRandom.SplitMix64, with the modulo draw the Metrics tests use.

`modulo_below(n)` is `next() % n`, the tests' `SplitMix64.moduloBelow(_:)` (Tests/MetricsTests/
TestSupport.swift) -- not the kit's rejection sampler, which the scripts do not need.
"""

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def modulo_below(self, n):
        return self.next() % n
