"""Expected values of Tests/MetricsTests/{JaccardTests,ExactSumTests,SummaryStatisticsTests}.swift.

Run from the package root with Python 3.11 (standard library only):
    python3 Tests/Generators/gen_jaccard_stats.py
Every printed literal is pasted into the tests as its `repr` (the shortest decimal that
round-trips, so the Swift literal is Python's double exactly).
"""
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from splitmix import SplitMix64  # noqa: E402


def weights(seed, count):
    """JaccardTests.randomWeights: values k/32 (many duplicates, some -0.0), a module with 30 %
    zeroed (alternately +-0) and 5 % replaced, and 37 extra values."""
    rng = SplitMix64(seed)
    model = []
    for _ in range(count):
        k = rng.modulo_below(129) - 64
        v = k / 32
        if k == 0 and rng.modulo_below(2) == 0:
            v = -0.0
        model.append(v)
    module = []
    for v in model:
        r = rng.modulo_below(100)
        if r < 30:
            module.append(-0.0 if r % 2 else 0.0)
        elif r < 35:
            module.append((rng.modulo_below(257) - 128) / 64)
        else:
            module.append(v)
    extra = [(rng.modulo_below(257) - 128) / 64 for _ in range(37)]
    return model, module, extra


def fine(seed, count):
    """JaccardTests.distinctWeights: mostly distinct values, like trained weights, 20 % pruned."""
    rng = SplitMix64(seed)
    model = [(rng.modulo_below(1 << 20) - (1 << 19)) / (1 << 20) for _ in range(count)]
    module = [0.0 if rng.modulo_below(100) < 20 else v for v in model]
    return model, module


def ji(a, b):
    """The authors' formula."""
    i = len(set(a) & set(b))
    return i / (len(a) + len(b) - i)


def structural(a, b):
    both = sum(1 for x, y in zip(a, b) if x != 0 and y != 0)
    either = sum(1 for x, y in zip(a, b) if x != 0 or y != 0)
    return both / either


model, module, extra = weights(7, 2000)
fm, fmod = fine(11, 5000)
print("// JaccardTests.randomWeightsMatchPython, expected (in order):")
print("[" + ", ".join(repr(v) for v in [ji(model, module), ji(model, module + extra), ji(model, module),
                                        ji(fm, fmod), ji(fm, fmod), structural(model, module), structural(fm, fmod)]) + "]")
print("// JaccardTests.preparedModelSet: len(set(model)), len(set(module)):", len(set(model)), len(set(module)))

rng = SplitMix64(99)
xs = [math.ldexp((rng.next() >> 11) / (1 << 53) - 0.5, rng.modulo_below(81) - 40) for _ in range(1000)]
print("// ExactSumTests.matchesPythonFsumOnRandomValues: fsum", repr(math.fsum(xs)), "naive sum", repr(sum(xs)))
print("// ExactSumTests.classicExamples:", repr(math.fsum([1e-16, 1.0, 1e16])), repr(math.fsum([0.1] * 10)),
      repr(math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50])), repr(math.fsum([0.1, 0.2, 0.3])))

# The same generator, after the fsum draws: 101 uniform values in [0, 1).
ys = [rng.next() / 2**64 for _ in range(101)]
print("// SummaryStatisticsTests (count, [fmean, median, min, max, pstdev, stdev]):")
for data in (ys, ys[:100]):
    print(f"({len(data)}, [" + ", ".join(repr(v) for v in [statistics.fmean(data), statistics.median(data), min(data), max(data),
                                                           statistics.pstdev(data), statistics.stdev(data)]) + "]),")
