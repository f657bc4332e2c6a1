/// The paper's method: sampling, monitoring, concern identification, tangling identification,
/// modularization, composition (ALGORITHMS.md §2).
public enum Decomposition {}
