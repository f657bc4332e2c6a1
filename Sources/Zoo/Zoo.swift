/// The model zoo: every model of the paper by (dataset, I/O type, cell, depth, vocabulary
/// variant), trained on demand into a cache keyed by recipe and data checksums.
public enum Zoo {}
