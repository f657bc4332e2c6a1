// Chapter 06-motivating-examples: not written yet.
import Foundation
FileHandle.standardError.write(Data("chapter 06-motivating-examples is not implemented yet\n".utf8))
exit(2)
