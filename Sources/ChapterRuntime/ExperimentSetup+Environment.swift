import Experiments
import Foundation

extension ExperimentSetup {
    /// The setup a chapter run asks for: its profile, data locator and zoo root, with the GEMM
    /// kernel selected (`configureNumerics`).
    public init(_ env: ChapterEnvironment) {
        env.configureNumerics()
        self.init(profile: env.profile, locator: env.locator, zooRoot: env.zooDirectory.map { URL(fileURLWithPath: $0) })
    }
}
