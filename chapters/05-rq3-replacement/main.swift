// Chapter 05-rq3-replacement: not written yet.
import Foundation
FileHandle.standardError.write(Data("chapter 05-rq3-replacement is not implemented yet\n".utf8))
exit(2)
