/// Accuracy, BLEU, Jaccard and summary statistics (see ALGORITHMS.md §3).
public enum Metrics {}
