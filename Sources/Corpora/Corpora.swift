/// Data set manifests, loaders, the Keras-compatible text pipeline and synthetic tasks.
public enum Corpora {}
