import Foundation
import RNNKit

/// What a target does with a model the reader accepted: one forward pass on zeros (batch 2,
/// unknown steps 3), so a model that loads but cannot run is a finding too. Skipped when a
/// layer's output per example exceeds `maxElements` (a declared size the kit allows, whose
/// cost is time, not a defect).
public enum ModelProbe {
    public static let maxElements = 1 << 16

    public static func run(_ model: Model) throws {
        for (_, shape) in try model.shapes() {
            var perExample = 1
            for d in shape.dropFirst() {
                let (p, overflow) = perExample.multipliedReportingOverflow(by: d ?? 3)
                guard !overflow, p <= maxElements else { return }
                perExample = p
            }
        }
        var inputs: [String: Tensor] = [:]
        for i in model.inputs {
            inputs[i.name] = Tensor(zeros: [2] + i.shape.dropFirst().map { $0 ?? 3 })
        }
        _ = try model.forward(inputs)
    }
}
