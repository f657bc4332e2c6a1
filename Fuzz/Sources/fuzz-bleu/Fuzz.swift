// The BLEU sentence-file reader, bytes → file: `SentenceFile.lines(path:)`, then corpus
// BLEU-1…4 of the lines against themselves reversed (what `bleu` computes from two files).
import Foundation
import FuzzSupport
import Metrics

let input = InputFile(suffix: "sentences.txt")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    input.write(data, size)
    guard let lines = try? SentenceFile.lines(path: input.path) else { return 0 }
    for n in 1...4 { _ = try? Metrics.corpusBLEU(referenceLines: lines, hypothesisLines: lines.reversed(), maxN: n) }
    return 0
}
