// Chapter 03-rq1-decomposition-cost: not written yet.
import Foundation
FileHandle.standardError.write(Data("chapter 03-rq1-decomposition-cost is not implemented yet\n".utf8))
exit(2)
