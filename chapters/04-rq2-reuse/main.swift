// Chapter 04-rq2-reuse: not written yet.
import Foundation
FileHandle.standardError.write(Data("chapter 04-rq2-reuse is not implemented yet\n".utf8))
exit(2)
